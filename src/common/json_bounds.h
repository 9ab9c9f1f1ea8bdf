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

// Parses text; throws TooDeep past max_depth levels and nlohmann::json::parse_error on bad JSON.
nlohmann::json parse(std::string_view text, int max_depth = kMaxDepth);

}  // namespace twin::jsonb
