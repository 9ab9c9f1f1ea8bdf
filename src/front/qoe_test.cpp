#include "front/qoe.h"

#include <gtest/gtest.h>

namespace twin::front {
namespace {
using namespace std::chrono_literals;

Cmcd report(std::string sid, std::optional<double> buffer_ms, bool starved = false) {
  Cmcd c;
  c.session_id = std::move(sid);
  c.buffer_length_ms = buffer_ms;
  c.buffer_starvation = starved;
  return c;
}

TEST(QoeStats, CountsSessionsPerPathwayAndThoseStillActive) {
  ManualScheduler clock;
  QoeStats qoe(clock);
  qoe.record("A", report("s1", 4000));
  qoe.record("A", report("s2", 3000));
  qoe.record("A", report("s1", 3900));
  clock.advance(20s);
  qoe.record("B", report("s1", 3800));  // s1 moved to B
  auto p = qoe.pathways();
  EXPECT_EQ(p["A"].requests, 3u);
  EXPECT_EQ(p["A"].sessions, 2u);
  EXPECT_EQ(p["B"].sessions, 1u);
  EXPECT_EQ(p["A"].active_sessions, 1u);  // s2; s1 is counted where it went last
  EXPECT_EQ(p["B"].active_sessions, 1u);
  clock.advance(15s);  // s2 last seen 35 s ago
  EXPECT_EQ(qoe.pathways()["A"].active_sessions, 0u);
  auto sessions = qoe.sessions(10);
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0].id, "s1");
  EXPECT_EQ(sessions[0].pathway, "B");
  EXPECT_EQ(sessions[0].requests, 3u);
  EXPECT_EQ(sessions[0].buffer_length_ms, 3800);
  EXPECT_EQ(sessions[0].since_seen, 15s);
  EXPECT_EQ(qoe.sessions(1).size(), 1u);
}

TEST(QoeStats, CountsOneStarvationForTheReportsOfOneStall) {
  ManualScheduler clock;
  QoeStats qoe(clock);
  qoe.record("A", report("s1", 0, true));  // video's next request
  clock.advance(500ms);
  qoe.record("A", report("s1", 0, true));  // audio's, for the same stall (dash.js)
  clock.advance(3s);
  qoe.record("B", report("s1", 200, true));  // a second stall
  qoe.record("B", report("s2", 200, true));  // another viewer's
  qoe.record("B", report("", 100, true));    // no session: each report counts
  auto p = qoe.pathways();
  EXPECT_EQ(p["A"].starvation_events, 1u);
  EXPECT_EQ(p["B"].starvation_events, 3u);
  for (const auto& s : qoe.sessions(10))
    EXPECT_EQ(s.starvation_events, s.id == "s1" ? 2u : 1u) << s.id;
}

TEST(QoeStats, GivesBufferPercentilesOfRecentReportsAndAHistogram) {
  ManualScheduler clock;
  QoeStats qoe(clock);
  for (int i = 1; i <= 10; ++i) qoe.record("A", report("s", i * 1000.0));
  auto a = qoe.pathways()["A"];
  ASSERT_TRUE(a.buffer_length_ms);
  EXPECT_EQ(a.buffer_length_ms->p10, 1000);
  EXPECT_EQ(a.buffer_length_ms->p50, 5000);
  EXPECT_EQ(a.buffer_length_ms->p90, 9000);
  EXPECT_EQ(a.buffer_length_ms->samples, 10u);
  EXPECT_FALSE(a.throughput_kbps);
  // Buckets 0.5, 1, 2, 4, 8, 16, 30, 60 s, then above: 1 | 2 | 3 4 | 5 6 7 8 | 9 10.
  std::array<uint64_t, 9> expected{0, 1, 1, 2, 4, 2, 0, 0, 0};
  EXPECT_EQ(a.buffer_buckets, expected);
  EXPECT_DOUBLE_EQ(a.buffer_seconds_sum, 55);
  for (size_t i = 0; i < QoeStats::kRecentSamples; ++i) qoe.record("A", report("s", 250));
  EXPECT_EQ(qoe.pathways()["A"].buffer_length_ms->p90, 250);  // the oldest ten are gone
  EXPECT_EQ(qoe.pathways()["A"].buffer_samples, 1010u);
}

TEST(QoeStats, ForgetsTheLeastRecentlySeenSessionWhenFull) {
  ManualScheduler clock;
  QoeStats qoe(clock);
  for (size_t i = 0; i < QoeStats::kMaxSessions; ++i) {
    qoe.record("A", report("s" + std::to_string(i), 100));
    clock.advance(1ms);
  }
  qoe.record("A", report("new", 100));
  auto all = qoe.sessions(QoeStats::kMaxSessions + 1);
  EXPECT_EQ(all.size(), QoeStats::kMaxSessions);
  EXPECT_EQ(all.back().id, "s1");  // s0 went
}

}  // namespace
}  // namespace twin::front
