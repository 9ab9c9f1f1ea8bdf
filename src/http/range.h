// "bytes=a-b" request ranges against an entity of known size.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace twin::http {

struct ByteRange {
  uint64_t first = 0;
  uint64_t length = 0;
};

enum class RangeResult { none, ok, unsatisfiable, malformed };

struct RangeRequest {
  RangeResult result = RangeResult::none;
  ByteRange range;
};

// Accepts "bytes=a-b", "bytes=a-" and "bytes=-n". An end past the entity is clamped; a start at or
// past it is unsatisfiable. A malformed header is "none" for GET (RFC 9110 says ignore it) but
// callers that need strictness can look at the result.
RangeRequest parse_range(std::string_view header, uint64_t entity_size);

}  // namespace twin::http
