// Fuzz target: OData query options on every entity set: $filter (parsed, then evaluated against
// sample entities), $orderby, $top, $skip, $select, $inlinecount. The input is the query string.
#include "http/target.h"
#include "media/errors.h"
#include "media/model.h"
#include "media/odata_query.h"

using namespace twin::media;

namespace {
std::vector<Json> sample_entities() {
  return {{{"Id", "nb:cid:UUID:1"}, {"Name", "Holo"}, {"Options", 0}, {"Created", int64_t(1000)}},
          {{"Id", "nb:cid:UUID:2"}, {"Name", "it's"}, {"Options", 1}, {"State", 3}},
          {{"Name", nullptr}, {"Options", "x"}}};
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string target = "/a/api/Assets?";
  target.append(reinterpret_cast<const char*>(data), size);
  twin::http::Target parsed(target);
  for (const auto& set : entity_sets()) {
    try {
      apply_query(parse_query(parsed, set), sample_entities());
    } catch (const MediaError&) {
    }
  }
  return 0;
}
