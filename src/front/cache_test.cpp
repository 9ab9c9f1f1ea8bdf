#include "front/cache.h"

#include <gtest/gtest.h>

namespace twin::front {
namespace {

using namespace std::chrono_literals;
constexpr const char* kSegment = "public, max-age=31536000, immutable";
constexpr const char* kManifest = "public, max-age=2";

CachedObject object(std::string body, std::string served_by = "A") {
  CachedObject o;
  o.body = std::move(body);
  o.etag = "\"abc\"";
  o.last_modified = "Wed, 02 Dec 2026 11:00:00 GMT";
  o.served_by = std::move(served_by);
  return o;
}

// Looks the key up as a new request would and, on a miss, fills it as its leader.
Cache::Object fetch(Cache& cache, const std::string& key, const std::string& body,
                    const char* cache_control = kSegment) {
  auto found = cache.lookup(key, nullptr);
  if (found.role == Cache::Role::hit) return found.object;
  EXPECT_EQ(found.role, Cache::Role::leader);
  return cache.fill(key, object(body), cache_control);
}

TEST(CacheFreshness, FromCacheControl) {
  EXPECT_EQ(freshness(kSegment), std::chrono::seconds(31536000));
  EXPECT_EQ(freshness(kManifest), 2s);
  EXPECT_EQ(freshness("MAX-AGE=5"), 5s);
  EXPECT_FALSE(freshness("no-store"));
  EXPECT_FALSE(freshness("private, max-age=60"));
  EXPECT_FALSE(freshness("public"));
  EXPECT_FALSE(freshness("max-age=abc"));
  EXPECT_FALSE(freshness(""));
}

TEST(Cache, EvictsTheLeastRecentlyUsedByBytes) {
  ManualScheduler clock;
  std::string body(400, 'x');
  uint64_t one = object(body).bytes();
  Cache cache(3 * one, clock, 3 * one);
  fetch(cache, "/a", body);
  fetch(cache, "/b", body);
  fetch(cache, "/c", body);
  EXPECT_EQ(cache.lookup("/a", nullptr).role, Cache::Role::hit);  // /a is now the newest
  cache.fail("/never");
  fetch(cache, "/d", body);  // over the bound: /b, the least recently used, goes
  EXPECT_EQ(cache.stats().evictions, 1u);
  EXPECT_EQ(cache.stats().objects, 3u);
  EXPECT_EQ(cache.stats().bytes, 3 * one);
  EXPECT_EQ(cache.lookup("/a", nullptr).role, Cache::Role::hit);
  EXPECT_EQ(cache.lookup("/c", nullptr).role, Cache::Role::hit);
  EXPECT_EQ(cache.lookup("/b", nullptr).role, Cache::Role::leader);
}

TEST(Cache, ConcurrentMissesMakeOneOriginRequest) {
  ManualScheduler clock;
  Cache cache(1 << 20, clock);
  EXPECT_EQ(cache.lookup("/seg", nullptr).role, Cache::Role::leader);
  std::vector<Cache::Object> got;
  for (int i = 0; i < 3; ++i) {
    auto l = cache.lookup("/seg", [&](Cache::Object o) { got.push_back(o); });
    EXPECT_EQ(l.role, Cache::Role::follower);
  }
  EXPECT_TRUE(got.empty());
  auto filled = cache.fill("/seg", object("bytes", "B"), kSegment);
  ASSERT_EQ(got.size(), 3u);
  for (const auto& o : got) EXPECT_EQ(o, filled);
  EXPECT_EQ(got[0]->served_by, "B");
  EXPECT_EQ(cache.stats().coalesced, 3u);
  EXPECT_EQ(cache.lookup("/seg", nullptr).role, Cache::Role::hit);
}

TEST(Cache, AFailedLeaderWakesFollowersWithNothingAndTheNextCallerLeads) {
  ManualScheduler clock;
  Cache cache(1 << 20, clock);
  cache.lookup("/m", nullptr);
  bool woken = false;
  cache.lookup("/m", [&](Cache::Object o) {
    woken = true;
    EXPECT_EQ(o, nullptr);
  });
  cache.fail("/m");
  EXPECT_TRUE(woken);
  EXPECT_EQ(cache.lookup("/m", nullptr).role, Cache::Role::leader);
}

TEST(Cache, AnExpiredManifestIsFetchedAgainButServedStaleWhenEveryOriginFails) {
  ManualScheduler clock;
  Cache cache(1 << 20, clock);
  fetch(cache, "/manifest", "v1", kManifest);
  clock.advance(1500ms);
  EXPECT_EQ(cache.lookup("/manifest", nullptr).role, Cache::Role::hit);
  clock.advance(1s);
  EXPECT_EQ(cache.lookup("/manifest", nullptr).role, Cache::Role::leader);  // past 2 s
  cache.fail("/manifest");
  auto stale = cache.stale("/manifest");
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->body, "v1");
  EXPECT_EQ(cache.stats().stale_served, 1u);
  EXPECT_EQ(cache.stale("/unknown"), nullptr);
}

TEST(Cache, WhatMustNotBeKeptIsHandedOutButNotKept) {
  ManualScheduler clock;
  Cache cache(1 << 20, clock, 1000);
  cache.lookup("/private", nullptr);
  EXPECT_EQ(cache.fill("/private", object("x"), "private")->body, "x");
  cache.lookup("/huge", nullptr);
  cache.fill("/huge", object(std::string(5000, 'h')), kSegment);  // over the per-object bound
  CachedObject error = object("busy");
  error.status = 503;
  cache.lookup("/err", nullptr);
  cache.fill("/err", error, kSegment);
  EXPECT_EQ(cache.stats().objects, 0u);
  EXPECT_EQ(cache.lookup("/private", nullptr).role, Cache::Role::leader);
}

// One request's headers, the rest absent.
RequestConditions with(std::string_view RequestConditions::*field, std::string_view value) {
  RequestConditions r;
  r.*field = value;
  return r;
}

TEST(CachedAnswer, RangeAndConditionalRequestsFromTheKeptObject) {
  CachedObject o = object("0123456789");
  EXPECT_EQ(answer_from(o, {}).status, 200u);
  EXPECT_EQ(answer_from(o, {}).length, 10u);
  auto part = answer_from(o, with(&RequestConditions::range, "bytes=2-5"));
  EXPECT_EQ(part.status, 206u);
  EXPECT_EQ(part.first, 2u);
  EXPECT_EQ(part.length, 4u);
  EXPECT_EQ(answer_from(o, with(&RequestConditions::range, "bytes=-3")).first, 7u);
  EXPECT_EQ(answer_from(o, with(&RequestConditions::range, "bytes=20-")).status, 416u);
  EXPECT_EQ(answer_from(o, with(&RequestConditions::if_none_match, "\"abc\"")).status, 304u);
  EXPECT_EQ(answer_from(o, with(&RequestConditions::if_none_match, "\"other\"")).status, 200u);
  EXPECT_EQ(answer_from(o, with(&RequestConditions::if_match, "\"other\"")).status, 412u);
  EXPECT_EQ(
      answer_from(o, with(&RequestConditions::if_modified_since, "Wed, 02 Dec 2026 12:00:00 GMT"))
          .status,
      304u);
}

}  // namespace
}  // namespace twin::front
