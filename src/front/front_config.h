// The front's configuration: the `[front]` section of a TOML file, and the command-line forms.
// Unknown keys are refused, not ignored, and every error names the file, the line and the key,
// since a misspelt `fal = 2` silently left at its default is how failover drills go wrong.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.h"
#include "front/health.h"
#include "front/origin_pool.h"

namespace twin::front {

struct FrontConfig {
  config::Endpoint listen{"127.0.0.1", 8900};
  // Where the dashboard and the front's own API (/front/status, /front/origins/…,
  // /front/steering/…, /front/api/…) are served instead of `listen`, which then serves viewers
  // (and the steering manifest) only; unset: everything on `listen`.
  std::optional<config::Endpoint> admin_listen;
  std::vector<OriginConfig> origins;  // in priority order unless priorities are given
  std::string probe_path = "/health";
  std::chrono::milliseconds probe_interval{1000};
  std::chrono::milliseconds probe_timeout{500};  // connect and first byte, per probe
  // A viewer request's budgets: its connect is probe_timeout; then the response head, and the
  // longest silence inside a body, after which the body continues from the next origin.
  std::chrono::milliseconds first_byte_timeout{1000};
  std::chrono::milliseconds body_timeout{1000};
  HealthPolicy health;  // rise 3, fall 2
  uint64_t cache_bytes = 512ull << 20;
  // Where cached bodies are kept: unnamed files in this directory (on disk), gone when evicted or
  // when the front stops; empty: memory files. Either way bounded by cache_bytes.
  std::string cache_dir;
  std::string admin_key;
  // The data center profiles file (as replicate's) the dashboard reads the media APIs with;
  // empty: the dashboard shows the front's own view only.
  std::string profiles;
  // [streaming.steering], the same section as serve's: when given, the front also answers the
  // steering manifest and probes every pathway (docs/steering.md).
  config::Steering steering;
  // Steering requests answered per second, over all players, before 429 Too Many Requests (a
  // fraction allowed: 0.2 is one every 5 s); 0: no limit.
  double steering_requests_per_second = 0;
};

struct FrontConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses the [front] section of a TOML document; source names it in errors ("front.toml").
FrontConfig parse_front_config(std::string_view toml_text, const std::string& source);
FrontConfig load_front_config(const std::string& path);
// "--origin NAME=URL": the next priority after those already given.
OriginConfig parse_origin_flag(std::string_view text, int priority);

}  // namespace twin::front
