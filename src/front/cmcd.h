// Common Media Client Data (CTA-5004): what a player says about itself on each request, as a
// `CMCD` query parameter or in the CMCD-Request, CMCD-Object, CMCD-Status and CMCD-Session
// headers. Each is a list of key[=value] in the Structured Field syntax of RFC 8941: a key alone
// is true, strings are quoted, tokens (ot, sf, st) are not, CMCD 2 may send an inner list
// "(a b)". The front reads the keys it reports on and ignores the others, custom keys included.
// CMCD is the viewer's advice, never a reason to refuse its media: a malformed list is reported
// to the caller, which logs it and serves the request.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/server.h"
#include "http/target.h"

namespace twin::front {

struct Cmcd {
  std::string session_id;                  // sid
  std::optional<double> buffer_length_ms;  // bl, rounded by the player to 100 ms
  bool buffer_starvation = false;          // bs: starved since its previous request
  std::optional<double> throughput_kbps;   // mtp, as the player measured
  std::string object_type;                 // ot: m(anifest), a(udio), v(ideo), i(nit), ...
};

// The longest CMCD text read, per header or query value; players send about 200 bytes.
inline constexpr size_t kMaxCmcdBytes = 4096;

// Parses one list into `into` (later keys win); false with `error` set on a malformed list.
bool parse_cmcd(std::string_view text, Cmcd& into, std::string& error);

struct CmcdFound {
  std::optional<Cmcd> data;  // none when the request carries no CMCD
  std::string error;         // why the CMCD it carries was not read, or empty
};
// The query parameter and the four headers, merged.
CmcdFound cmcd_from(const http::Target& target, const http::Request& request);

// The request target without its CMCD parameter (the rest unchanged, in order), so that a cache
// key and an origin request are the same whatever the player reported.
std::string without_cmcd(std::string_view target);

}  // namespace twin::front
