#include "http/range.h"

#include <gtest/gtest.h>

namespace twin::http {

TEST(Range, ParsesTheForms) {
  auto r = parse_range("bytes=1000-1009", 100000);
  ASSERT_EQ(r.result, RangeResult::ok);
  EXPECT_EQ(r.range.first, 1000u);
  EXPECT_EQ(r.range.length, 10u);
  r = parse_range("bytes=99990-", 100000);
  EXPECT_EQ(r.range.length, 10u);
  r = parse_range("bytes=-5", 100);
  EXPECT_EQ(r.range.first, 95u);
  EXPECT_EQ(parse_range("", 10).result, RangeResult::none);
}

TEST(Range, ClampsTheEndAndRefusesAStartPastTheEnd) {
  auto r = parse_range("bytes=5-1000", 10);
  ASSERT_EQ(r.result, RangeResult::ok);
  EXPECT_EQ(r.range.length, 5u);
  EXPECT_EQ(parse_range("bytes=10-20", 10).result, RangeResult::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-5", 0).result, RangeResult::unsatisfiable);
}

TEST(Range, FlagsMalformedHeaders) {
  EXPECT_EQ(parse_range("bytes=5-1", 10).result, RangeResult::malformed);
  EXPECT_EQ(parse_range("items=0-1", 10).result, RangeResult::malformed);
  EXPECT_EQ(parse_range("bytes=0-1,3-4", 10).result, RangeResult::malformed);
  EXPECT_EQ(parse_range("bytes=x-1", 10).result, RangeResult::malformed);
}

}  // namespace twin::http
