#include "dashboard/history.h"

#include <gtest/gtest.h>

namespace twin::dashboard {
namespace {
using namespace std::chrono_literals;

front::FrontConfig two_origins() {
  front::FrontConfig c;
  c.origins.push_back(front::parse_origin_flag("A=http://127.0.0.1:1", 0));
  c.origins.push_back(front::parse_origin_flag("B=http://127.0.0.1:2", 1));
  return c;
}

TEST(StatusHistory, SamplesEveryIntervalWithRatesPerSecondWhenTheTimerFires) {
  front::ManualScheduler clock;
  front::FrontState state(two_origins(), clock);
  StatusHistory history(state, clock);
  history.start();
  ASSERT_EQ(history.samples().size(), 1u);
  EXPECT_EQ(history.samples()[0].origins.at("A").requests_per_second, 0);  // no rate yet

  state.find("A")->requests += 10;
  state.find("A")->failures += 2;
  clock.advance(1s);
  state.find("B")->requests += 4;
  state.find("B")->drained = true;
  clock.advance(1s);

  auto samples = history.samples();
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_DOUBLE_EQ(samples[1].origins.at("A").requests_per_second, 10);
  EXPECT_DOUBLE_EQ(samples[1].origins.at("A").failures_per_second, 2);
  EXPECT_DOUBLE_EQ(samples[2].origins.at("A").requests_per_second, 0);
  EXPECT_DOUBLE_EQ(samples[2].origins.at("B").requests_per_second, 4);
  EXPECT_TRUE(samples[2].origins.at("B").drained);
  EXPECT_DOUBLE_EQ(samples[0].age_seconds, 2);
  EXPECT_DOUBLE_EQ(samples[2].age_seconds, 0);
  EXPECT_FALSE(samples[2].origins.at("A").probe_ms.has_value());  // no probe passed yet
}

TEST(StatusHistory, ShowsHealthAndProbeLatencyAndKeepsFiveMinutes) {
  front::ManualScheduler clock;
  front::FrontState state(two_origins(), clock);
  StatusHistory history(state, clock);
  history.start();
  auto* a = state.find("A");
  a->health.probe_passed(12ms);
  a->health.request_failed("connection refused");
  clock.advance(1s);
  auto last = history.samples().back();
  EXPECT_FALSE(last.origins.at("A").up);
  ASSERT_TRUE(last.origins.at("A").probe_ms.has_value());
  EXPECT_DOUBLE_EQ(*last.origins.at("A").probe_ms, 12);

  clock.advance(400s);
  auto samples = history.samples();
  EXPECT_EQ(samples.size(), StatusHistory::kSamples);
  EXPECT_DOUBLE_EQ(samples.front().age_seconds, double(StatusHistory::kSamples - 1));
}

TEST(StatusHistory, StopsSamplingWhenStopped) {
  front::ManualScheduler clock;
  front::FrontState state(two_origins(), clock);
  StatusHistory history(state, clock);
  history.start();
  clock.advance(3s);
  history.stop();
  clock.advance(10s);
  EXPECT_EQ(history.samples().size(), 4u);
  EXPECT_EQ(clock.pending(), 0u);
}

}  // namespace
}  // namespace twin::dashboard
