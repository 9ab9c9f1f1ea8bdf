#include "common/time.h"

#include <gtest/gtest.h>

namespace twin::timefmt {

TEST(Rfc1123, FormatsAndParses) {
  auto t = parse_iso8601("2026-11-25T08:32:05Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(rfc1123(*t), "Wed, 25 Nov 2026 08:32:05 GMT");
  EXPECT_EQ(parse_rfc1123("Wed, 25 Nov 2026 08:32:05 GMT"), t);
  EXPECT_FALSE(parse_rfc1123("Wed, 25 Nov 2026 08:32:05 UTC"));
  EXPECT_FALSE(parse_rfc1123("garbage"));
}

TEST(Iso8601, AcceptsTheFormsClientsSend) {
  auto base = parse_iso8601("2030-01-01T00:00:00Z");
  ASSERT_TRUE(base);
  EXPECT_EQ(parse_iso8601("2030-01-01"), base);
  EXPECT_EQ(parse_iso8601("2030-01-01T00:00Z"), base);
  EXPECT_EQ(parse_iso8601("2030-01-01T00:00:00.0000000Z"), base);
  EXPECT_EQ(parse_iso8601("2030-01-01T00:00:00+00:00"), base);
  auto frac = parse_iso8601("2030-01-01T00:00:00.5Z");
  ASSERT_TRUE(frac);
  EXPECT_EQ(unix_micros(*frac) - unix_micros(*base), 500000);
  EXPECT_FALSE(parse_iso8601("2030-13-01"));
  EXPECT_FALSE(parse_iso8601("2030-01-01T25:00Z"));
  EXPECT_FALSE(parse_iso8601("yesterday"));
}

TEST(Iso8601, WritesSevenFractionDigits) {
  auto t = parse_iso8601("2026-11-25T08:32:05.123456Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(iso8601_7(*t), "2026-11-25T08:32:05.1234560Z");
  EXPECT_EQ(iso8601_seconds(*t), "2026-11-25T08:32:05Z");
  // The date part is formatted once a second: changing seconds and leading zeros still show.
  EXPECT_EQ(iso8601_7(*t + std::chrono::seconds(55)), "2026-11-25T08:33:00.1234560Z");
  EXPECT_EQ(iso8601_7(*parse_iso8601("2026-01-02T03:04:05.000007Z")),
            "2026-01-02T03:04:05.0000070Z");
  EXPECT_EQ(iso8601_7(*t), "2026-11-25T08:32:05.1234560Z");
}

}  // namespace twin::timefmt
