#include "http/range.h"

#include <charconv>

#include "common/strings.h"

namespace twin::http {
namespace {
bool parse_u64(std::string_view s, uint64_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}
}  // namespace

RangeRequest parse_range(std::string_view header, uint64_t size) {
  RangeRequest r;
  header = str::trim(header);
  if (header.empty()) return r;
  if (!str::istarts_with(header, "bytes=") || header.find(',') != std::string_view::npos) {
    r.result = RangeResult::malformed;
    return r;
  }
  std::string_view spec = str::trim(header.substr(6));
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) {
    r.result = RangeResult::malformed;
    return r;
  }
  std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
  uint64_t first = 0, last = 0;
  if (a.empty()) {  // suffix range: the last n bytes
    if (!parse_u64(b, last) || last == 0) {
      r.result = last == 0 && !b.empty() ? RangeResult::unsatisfiable : RangeResult::malformed;
      return r;
    }
    if (size == 0) {
      r.result = RangeResult::unsatisfiable;
      return r;
    }
    uint64_t n = last > size ? size : last;
    r.result = RangeResult::ok;
    r.range = {size - n, n};
    return r;
  }
  if (!parse_u64(a, first) || (!b.empty() && (!parse_u64(b, last) || last < first))) {
    r.result = RangeResult::malformed;
    return r;
  }
  if (first >= size) {
    r.result = RangeResult::unsatisfiable;
    return r;
  }
  if (b.empty() || last >= size) last = size - 1;
  r.result = RangeResult::ok;
  r.range = {first, last - first + 1};
  return r;
}

}  // namespace twin::http
