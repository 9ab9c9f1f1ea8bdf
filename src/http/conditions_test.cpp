#include "http/conditions.h"

#include <gtest/gtest.h>

namespace twin::http {
namespace {
auto t(const char* s) {
  return *timefmt::parse_rfc1123(s);
}
}  // namespace

TEST(Conditions, IfMatch) {
  auto lm = t("Wed, 25 Nov 2026 08:32:05 GMT");
  EXPECT_EQ(evaluate({"\"0x1\"", "", "", ""}, true, "\"0x1\"", lm, false), Precondition::pass);
  EXPECT_EQ(evaluate({"\"0x2\"", "", "", ""}, true, "\"0x1\"", lm, false), Precondition::failed);
  EXPECT_EQ(evaluate({"*", "", "", ""}, false, "", lm, false), Precondition::failed);
}

TEST(Conditions, IfNoneMatchIsNotModifiedForReadsAndFailedForWrites) {
  auto lm = t("Wed, 25 Nov 2026 08:32:05 GMT");
  EXPECT_EQ(evaluate({"", "\"0x1\"", "", ""}, true, "\"0x1\"", lm, true),
            Precondition::not_modified);
  EXPECT_EQ(evaluate({"", "*", "", ""}, true, "\"0x1\"", lm, false), Precondition::failed);
  EXPECT_EQ(evaluate({"", "*", "", ""}, false, "", lm, false), Precondition::pass);
}

TEST(Conditions, Dates) {
  auto lm = t("Wed, 25 Nov 2026 08:32:05 GMT");
  EXPECT_EQ(evaluate({"", "", "Wed, 25 Nov 2026 08:32:05 GMT", ""}, true, "\"e\"", lm, true),
            Precondition::not_modified);
  EXPECT_EQ(evaluate({"", "", "Tue, 24 Nov 2026 08:32:05 GMT", ""}, true, "\"e\"", lm, true),
            Precondition::pass);
  EXPECT_EQ(evaluate({"", "", "", "Tue, 24 Nov 2026 08:32:05 GMT"}, true, "\"e\"", lm, false),
            Precondition::failed);
}

}  // namespace twin::http
