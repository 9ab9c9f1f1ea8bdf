// Fuzz target: Range and conditional headers (If-Match, If-None-Match, If-Modified-Since,
// If-Unmodified-Since) as reads and writes evaluate them. The input is split on newlines into
// the five header values.
#include <string_view>
#include <vector>

#include "http/conditions.h"
#include "http/range.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  while (parts.size() < 4) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) break;
    parts.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  parts.push_back(text);
  parts.resize(5);
  for (uint64_t entity_size : {uint64_t{0}, uint64_t{1}, uint64_t{1} << 40}) {
    auto r = twin::http::parse_range(parts[0], entity_size);
    if (r.result == twin::http::RangeResult::ok &&
        (r.range.length == 0 || r.range.first + r.range.length > entity_size))
      __builtin_trap();  // a satisfiable range must lie inside the entity
  }
  twin::http::ConditionHeaders h{parts[1], parts[2], parts[3], parts[4]};
  for (bool is_read : {true, false})
    twin::http::evaluate(h, true, "\"0x8D1\"", twin::timefmt::Instant{}, is_read);
  return 0;
}
