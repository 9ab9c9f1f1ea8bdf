#include "common/log.h"

#include <gtest/gtest.h>

namespace twin::log {
namespace {

std::string value(std::string_view v) {
  std::string out;
  append_value(out, v);
  return out;
}

}  // namespace

TEST(LogValue, BareWhenNothingNeedsQuotes) {
  EXPECT_EQ(value("GET"), "GET");
  EXPECT_EQ(value("/a/b.ism/manifest"), "/a/b.ism/manifest");
  EXPECT_EQ(value("back\\slash"), "back\\slash");  // no quotes, so nothing to escape
}

TEST(LogValue, QuotedAndEscapedOtherwise) {
  EXPECT_EQ(value(""), "\"\"");
  EXPECT_EQ(value("two words"), "\"two words\"");
  EXPECT_EQ(value("Fragments(video=0,format=m3u8-aapl)"),
            "\"Fragments(video=0,format=m3u8-aapl)\"");
  EXPECT_EQ(value("say \"hi\"\\now\nthen"), "\"say \\\"hi\\\"\\\\now then\"");
  EXPECT_EQ(value("\""), "\"\\\"\"");
}

}  // namespace twin::log
