#include "common/json_bounds.h"

#include <gtest/gtest.h>

namespace twin::jsonb {

std::string nested(int levels, char open, char close) {
  return std::string(static_cast<size_t>(levels), open) +
         std::string(static_cast<size_t>(levels), close);
}

TEST(JsonBounds, AcceptsUpToTheLimit) {
  EXPECT_EQ(parse(nested(kMaxDepth, '[', ']')).size(), 1u);
  EXPECT_EQ(parse(R"({"a":{"b":[1,2,{"c":null}]}})")["a"]["b"].size(), 3u);
}

TEST(JsonBounds, RefusesDeeperNesting) {
  EXPECT_THROW(parse(nested(kMaxDepth + 1, '[', ']')), TooDeep);
  // The case that crashed a server: far deeper than any stack, inside an object.
  EXPECT_THROW(parse("{\"Name\":" + nested(200000, '[', ']') + "}"), TooDeep);
  std::string objects;
  for (int i = 0; i < 1000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(1000, '}');
  EXPECT_THROW(parse(objects), TooDeep);
}

TEST(JsonBounds, BadJsonIsInvalid) {
  EXPECT_THROW(parse("{\"a\":"), Invalid);
  // Found by preset_fuzz: nlohmann throws out_of_range, not parse_error, for this number.
  EXPECT_THROW(parse("[11111111111111e111111111111111111111111111111]"), Invalid);
}

}  // namespace twin::jsonb
