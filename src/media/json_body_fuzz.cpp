// Fuzz target: a media API request body, parsed with the nesting bound and coerced property by
// property into each entity set's types, as POST and MERGE do.
#include "common/json_bounds.h"
#include "media/api.h"
#include "media/errors.h"
#include "media/model.h"

using namespace twin::media;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Json body;
  try {
    body = twin::jsonb::parse(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::exception&) {
    return 0;  // TooDeep or parse_error: the API answers 400
  }
  for (const auto& set : entity_sets()) {
    try {
      read_body(set, body);
    } catch (const MediaError&) {
    }
  }
  return 0;
}
