#include "common/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace twin::ids {

TEST(Ids, GuidsAreVersion4AndDistinct) {
  static const std::regex form(
      "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string g = new_guid();
    EXPECT_TRUE(std::regex_match(g, form)) << g;
    seen.insert(g);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(new_hex_id(4).size(), 8u);
}

}  // namespace twin::ids
