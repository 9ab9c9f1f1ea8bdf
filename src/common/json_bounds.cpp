#include "common/json_bounds.h"

#include <string>

namespace twin::jsonb {

nlohmann::json parse(std::string_view text, int max_depth) {
  using Event = nlohmann::json::parse_event_t;
  // The callback sees every container as it opens, at the depth of its parent; throwing there
  // stops the parser before the next level is read.
  auto bound = [max_depth](int depth, Event event, nlohmann::json&) {
    if ((event == Event::object_start || event == Event::array_start) && depth >= max_depth)
      throw TooDeep("JSON nested deeper than " + std::to_string(max_depth) + " levels");
    return true;
  };
  try {
    return nlohmann::json::parse(text, bound);
  } catch (const nlohmann::json::exception& e) {
    throw Invalid(e.what());
  }
}

}  // namespace twin::jsonb
