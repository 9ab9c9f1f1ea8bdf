#include "front/retry_policy.h"

#include <gtest/gtest.h>

namespace twin::front {
namespace {

TEST(RetryPolicy, SafeMethodsGoToTheNextOriginBeforeTheResponseStarts) {
  for (auto f : {UpstreamFailure::refused, UpstreamFailure::connect_timeout, UpstreamFailure::reset,
                 UpstreamFailure::first_byte_late, UpstreamFailure::server_error}) {
    EXPECT_TRUE(retryable("GET", f)) << to_string(f);
    EXPECT_TRUE(retryable("HEAD", f)) << to_string(f);
    EXPECT_FALSE(retryable("POST", f)) << to_string(f);
  }
  EXPECT_FALSE(retryable("GET", UpstreamFailure::body_interrupted));  // resumed instead
}

TEST(RetryPolicy, ACutBodyResumesFromTheNextByteWithIfMatch) {
  // A whole 1 000 000-byte segment, cut after 262 144 bytes.
  auto r = plan_resume("GET", "\"0x8D5E\"", "", 0, 1000000, 262144);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->range, "bytes=262144-");
  EXPECT_EQ(r->if_match, "\"0x8D5E\"");
  EXPECT_EQ(r->from, 262144u);
  EXPECT_TRUE(continues(*r, 206, "\"0x8D5E\"", "bytes 262144-999999/1000000"));
  EXPECT_FALSE(continues(*r, 200, "\"0x8D5E\"", ""));  // a whole body would repeat bytes
  EXPECT_FALSE(continues(*r, 206, "\"other\"", "bytes 262144-999999/1000000"));
  EXPECT_FALSE(continues(*r, 206, "\"0x8D5E\"", "bytes 0-999999/1000000"));
  EXPECT_FALSE(continues(*r, 206, "\"0x8D5E\"", "bytes 262144"));
  EXPECT_FALSE(continues(*r, 206, "\"0x8D5E\"", "items 262144-9/10"));
}

TEST(RetryPolicy, AViewersOwnRangeKeepsItsEnd) {
  // The viewer asked for bytes 1000-1999 and got 300 of them.
  auto r = plan_resume("GET", "\"e\"", "bytes=1000-1999", 1000, 1000, 300);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->range, "bytes=1300-1999");
  EXPECT_TRUE(continues(*r, 206, "\"e\"", "bytes 1300-1999/5000"));
}

TEST(RetryPolicy, WhatCannotBeResumed) {
  EXPECT_FALSE(plan_resume("HEAD", "\"e\"", "", 0, 10, 5));
  EXPECT_FALSE(plan_resume("GET", "", "", 0, 10, 5));         // no ETag: the bytes may differ
  EXPECT_FALSE(plan_resume("GET", "W/\"e\"", "", 0, 10, 5));  // weak
  EXPECT_FALSE(plan_resume("GET", "\"e\"", "", 0, 10, 10));   // nothing owed
}

}  // namespace
}  // namespace twin::front

namespace twin::front {

TEST(RetryPolicy, ReadsContentRangeAndKnowsWhichHeadersAResumeReplaces) {
  auto range = parse_content_range("bytes 100-199/1000");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->first, 100u);
  EXPECT_EQ(range->length, 100u);
  EXPECT_FALSE(parse_content_range("bytes 200-100/1000"));
  EXPECT_FALSE(parse_content_range("bytes */1000"));
  EXPECT_FALSE(parse_content_range("items 1-2/3"));
  EXPECT_TRUE(range_or_condition("Range"));
  EXPECT_TRUE(range_or_condition("If-None-Match"));
  EXPECT_FALSE(range_or_condition("Accept"));
}

}  // namespace twin::front
