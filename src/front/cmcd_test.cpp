#include "front/cmcd.h"

#include <gtest/gtest.h>

namespace twin::front {
namespace {

Cmcd parsed(std::string_view text) {
  Cmcd out;
  std::string error;
  EXPECT_TRUE(parse_cmcd(text, out, error)) << text << ": " << error;
  return out;
}

std::string refusal(std::string_view text) {
  Cmcd out;
  std::string error;
  EXPECT_FALSE(parse_cmcd(text, out, error)) << text;
  return error;
}

TEST(Cmcd, ReadsTheSpecificationsExample) {
  // CTA-5004 (2020), the example of section 3.2 (as one query value).
  auto c = parsed(
      "bl=21300,br=3200,bs,cid=\"faec5fc2-ac30-11ea-bb37-0242ac130002\",d=4004,dl=18500,mtp=48100,"
      "nor=\"..%2F300kbps%2Ftrack.m4v\",nrr=\"12323-48763\",ot=v,pr=1.08,rtp=12000,sf=d,"
      "sid=\"6e2fb550-c457-11e9-bb97-0800200c9a66\",st=v,su,tb=6000");
  EXPECT_EQ(c.session_id, "6e2fb550-c457-11e9-bb97-0800200c9a66");
  EXPECT_EQ(c.buffer_length_ms, 21300);
  EXPECT_TRUE(c.buffer_starvation);
  EXPECT_EQ(c.throughput_kbps, 48100);
  EXPECT_EQ(c.object_type, "v");
}

TEST(Cmcd, ReadsStructuredFieldFormsAndIgnoresKeysItDoesNotReport) {
  auto c =
      parsed(" bl=(2100 2200), bs=?1;x=1, com.example-myKey=\"a\\\"b\", mtp=(4800.5), sid=\"s\"");
  EXPECT_EQ(c.buffer_length_ms, 2100);  // an inner list: its first item
  EXPECT_TRUE(c.buffer_starvation);
  EXPECT_EQ(c.throughput_kbps, 4800.5);
  EXPECT_EQ(c.session_id, "s");
  EXPECT_FALSE(parsed("bs=?0").buffer_starvation);
  EXPECT_FALSE(parsed("bs=false").buffer_starvation);
  EXPECT_FALSE(parsed("").buffer_length_ms.has_value());
}

TEST(Cmcd, RefusesMalformedListsSayingWhere) {
  EXPECT_EQ(refusal("sid=\"open"), "a string is not closed at byte 9");
  EXPECT_EQ(refusal("bl=1.2.3"), "a number is malformed at byte 8");
  EXPECT_EQ(refusal("bl=12x"), "a comma was expected at byte 5");
  EXPECT_EQ(refusal("bl=-1"), "bl must be a non-negative number");
  EXPECT_EQ(refusal("sid=token"), "sid must be a string");
  EXPECT_EQ(refusal("bs=1"), "bs must be a boolean");
  EXPECT_EQ(refusal("bl=1 mtp=2"), "a comma was expected at byte 5");
  EXPECT_EQ(refusal(",bl=1"), "a key was expected at byte 0");
  EXPECT_EQ(refusal("bl=(1 2"), "an inner list is not closed at byte 7");
  EXPECT_EQ(refusal("bs=?2"), "a boolean must be ?0 or ?1 at byte 4");
  EXPECT_EQ(refusal("sid=\"\\n\""), "a string escapes only \\\" and \\\\ at byte 6");
  EXPECT_EQ(refusal(std::string(kMaxCmcdBytes + 1, 'a')), "longer than 4096 bytes");
}

http::Request request_with(std::vector<std::pair<std::string, std::string>> headers) {
  http::Request r;
  for (auto& [name, value] : headers) r.set(name, value);
  return r;
}

TEST(Cmcd, MergesTheQueryAndTheFourHeaders) {
  auto found = cmcd_from(
      http::Target("/v/seg.m4s?CMCD=bl%3D3000%2Cot%3Dv"),
      request_with(
          {{"CMCD-Status", "bs"}, {"CMCD-Session", "sid=\"abc\""}, {"CMCD-Request", "bl=1200"}}));
  ASSERT_TRUE(found.data);
  EXPECT_EQ(found.data->buffer_length_ms, 1200);  // the headers come after the query
  EXPECT_TRUE(found.data->buffer_starvation);
  EXPECT_EQ(found.data->session_id, "abc");
  EXPECT_EQ(found.data->object_type, "v");
  EXPECT_FALSE(cmcd_from(http::Target("/v/seg.m4s?x=1"), request_with({})).data);
  auto bad = cmcd_from(http::Target("/seg"),
                       request_with({{"CMCD-Object", "ot=v,"}, {"CMCD-Session", "sid=1"}}));
  EXPECT_FALSE(bad.data);
  EXPECT_EQ(bad.error, "CMCD-Session: sid must be a string");
}

TEST(Cmcd, LeavesTheRestOfTheTargetAsItWas) {
  EXPECT_EQ(without_cmcd("/a/b.m4s?CMCD=bl%3D1"), "/a/b.m4s");
  EXPECT_EQ(without_cmcd("/a?x=1&CMCD=bl%3D1&y=%2F"), "/a?x=1&y=%2F");
  EXPECT_EQ(without_cmcd("/a?cmcd=1&x"), "/a?x");
  EXPECT_EQ(without_cmcd("/a?CMCDX=1"), "/a?CMCDX=1");
  EXPECT_EQ(without_cmcd("/a"), "/a");
}

}  // namespace
}  // namespace twin::front
