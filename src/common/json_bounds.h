// JSON parsing with a nesting limit checked while parsing. nlohmann's parser itself is
// iterative, but dumping or walking a value recurses once per level: 200 000 nested arrays in a
// 400 KB body overflowed a pool thread's stack in json::dump. Real documents (OData bodies, MES
// presets) nest fewer than 10 levels.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>

namespace twin::jsonb {

// Deepest nesting of objects and arrays a request body or preset may have.
constexpr int kMaxDepth = 64;

struct TooDeep : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Not JSON, or a number no double holds (nlohmann reports that as out_of_range, not as a parse
// error: a fuzzer found a preset of "[1e1111…]" escaping a catch of parse_error).
struct Invalid : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses text; throws TooDeep past max_depth levels and Invalid on anything that is not JSON.
nlohmann::json parse(std::string_view text, int max_depth = kMaxDepth);

}  // namespace twin::jsonb
