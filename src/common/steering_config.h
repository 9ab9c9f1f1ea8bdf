// Content steering, deployment-wide: the pathways (hosts that serve the same paths: origins,
// fronts or CDNs), the default one and the steering server. Both data centers carry the same
// setting, so that their manifests stay byte-identical; without it manifests are unchanged.
// TOML, under [streaming.steering]:
//   server = "http://edge-a.example.net:8900/steer"
//   default = "A"                      # the first pathway when absent
//   ttl_seconds = 10                   # how long players keep an answer
//   [[streaming.steering.pathways]]
//   id = "A"
//   base = "http://edge-a.example.net:8900"
//   steering = "http://edge-a.example.net:8900/steer"   # optional: the server over this pathway
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace twin::config {

struct Pathway {
  std::string id;    // HLS PATHWAY-ID / DASH serviceLocation: [A-Za-z0-9._-]+
  std::string base;  // "http(s)://host[:port]" with no path, query or trailing slash
  // The steering server reached over this pathway (a front's), if any. A steering answer sends
  // the player's next request to the first one not on its preferred pathway, so that a dead or
  // hung preferred pathway does not also silence its steering.
  std::string steering;
};

struct Steering {
  std::string server;  // absolute http(s) URL of the steering manifest
  std::string default_pathway;
  int ttl_seconds = 10;
  std::vector<Pathway> pathways;
  bool enabled() const { return !pathways.empty(); }
  const Pathway* find(const std::string& id) const;
};

// Checks a setting read from the file (or built by hand): unique well-formed ids, absolute bases
// without a path, a server URL, a default that names a pathway (the first when empty). Throws
// std::invalid_argument naming the key.
void validate(Steering& s);

// The [streaming.steering] section of a TOML document, validated; disabled when absent. Throws
// std::invalid_argument naming the key (a TOML syntax error too).
Steering steering_from_toml(std::string_view toml_text, const std::string& source);

}  // namespace twin::config
