// What the front tells about itself: GET /front/status (JSON: each origin's state, since when
// and why, its counters; the cache) and the lines it adds to /metrics (Prometheus text).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "front/front_state.h"

namespace twin::front {

std::string status_json(FrontState& state);
std::string origin_json(FrontState& state, Origin& origin);
// The same as JSON values, for a caller that embeds them (the dashboard).
nlohmann::json front_status(FrontState& state);
nlohmann::json origin_status(FrontState& state, Origin& origin);
std::string metrics_text(FrontState& state);

}  // namespace twin::front
