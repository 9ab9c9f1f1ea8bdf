#include "front/health.h"

#include <gtest/gtest.h>

#include <deque>

#include "front/health_checker.h"

namespace twin::front {
namespace {

using namespace std::chrono_literals;

TEST(OriginHealth, FallFailuresInARowTakeItDownAndRisePassesBringItBack) {
  ManualScheduler clock;
  OriginHealth h({.rise = 3, .fall = 2}, clock);
  EXPECT_TRUE(h.up());
  EXPECT_FALSE(h.probe_failed("connection refused"));
  EXPECT_FALSE(h.probe_passed(5ms));  // a pass between failures starts the count again
  EXPECT_FALSE(h.probe_failed("connection refused"));
  clock.advance(1s);
  auto down = h.probe_failed("503");
  ASSERT_TRUE(down);
  EXPECT_EQ(down->from, HealthState::up);
  EXPECT_EQ(down->to, HealthState::down);
  EXPECT_EQ(down->reason, "2 probes failed: 503");
  EXPECT_EQ(h.since(), clock.now());
  EXPECT_FALSE(h.probe_passed(4ms));
  EXPECT_FALSE(h.probe_passed(4ms));
  EXPECT_FALSE(h.probe_failed("timeout"));  // not back: the count starts again
  EXPECT_FALSE(h.probe_passed(4ms));
  EXPECT_FALSE(h.probe_passed(4ms));
  auto up = h.probe_passed(3ms);
  ASSERT_TRUE(up);
  EXPECT_EQ(up->to, HealthState::up);
  EXPECT_EQ(up->reason, "3 probes passed");
  EXPECT_EQ(h.last_probe_latency(), 3ms);
}

TEST(OriginHealth, AFailedViewerRequestTakesItDownAtOnce) {
  ManualScheduler clock;
  OriginHealth h({.rise = 2, .fall = 5}, clock);
  auto down = h.request_failed("connection reset");
  ASSERT_TRUE(down);
  EXPECT_EQ(down->reason, "a request failed: connection reset");
  EXPECT_FALSE(h.up());
  EXPECT_FALSE(h.request_failed("503"));  // already down: no second change
  EXPECT_FALSE(h.probe_passed(1ms));
  EXPECT_FALSE(h.request_failed("503"));  // a failing request resets the passes
  EXPECT_FALSE(h.probe_passed(1ms));
  ASSERT_TRUE(h.probe_passed(1ms));
  EXPECT_TRUE(h.up());
}

// A probe whose results the test scripts; each call answers at once with the next result.
struct ScriptedProbe {
  std::deque<bool> results;
  int calls = 0;
  Probe probe() {
    return [this](std::function<void(ProbeResult)> done) {
      ++calls;
      bool passed = results.empty() ? true : results.front();
      if (!results.empty()) results.pop_front();
      done({passed, 2ms, passed ? "" : "connection refused"});
    };
  }
};

TEST(HealthChecker, ProbesEveryIntervalAndReportsChangesWhenTimersFire) {
  ManualScheduler clock;
  OriginHealth health({.rise = 3, .fall = 2}, clock);
  ScriptedProbe script;
  script.results = {true, true, false, false, false, true, true, true};
  std::vector<std::pair<HealthState, Scheduler::TimePoint>> changes;
  HealthChecker checker(clock, health, script.probe(), 1s,
                        [&](const HealthChange& c) { changes.emplace_back(c.to, clock.now()); });
  auto t0 = clock.now();
  checker.start();  // probe 1 at t0
  EXPECT_EQ(script.calls, 1);
  clock.advance(500ms);
  EXPECT_EQ(script.calls, 1);  // not before the interval
  clock.advance(500ms);
  EXPECT_EQ(script.calls, 2);
  clock.advance(7s);  // probes 3..9 at t0+2s..t0+8s
  EXPECT_EQ(script.calls, 9);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].first, HealthState::down);
  EXPECT_EQ(changes[0].second, t0 + 3s);  // failures at 2 s and 3 s
  EXPECT_EQ(changes[1].first, HealthState::up);
  EXPECT_EQ(changes[1].second, t0 + 7s);  // passes at 5, 6 and 7 s
  checker.stop();
  clock.advance(10s);
  EXPECT_EQ(script.calls, 9);  // nothing after stop
}

TEST(HealthChecker, ASlowProbeIsNeverOverlappedAndALateResultAfterStopIsIgnored) {
  ManualScheduler clock;
  OriginHealth health({.rise = 1, .fall = 1}, clock);
  std::function<void(ProbeResult)> pending;
  int calls = 0;
  HealthChecker checker(
      clock, health,
      [&](std::function<void(ProbeResult)> done) {
        ++calls;
        pending = std::move(done);
      },
      1s, nullptr);
  checker.start();
  clock.advance(3s);  // the first probe has not answered: no second one
  EXPECT_EQ(calls, 1);
  pending({false, 3s, "no first byte in 500 ms"});
  EXPECT_FALSE(health.up());
  EXPECT_EQ(clock.pending(), 1u);
  clock.advance(0s);  // it took longer than the interval: the next goes at once
  EXPECT_EQ(calls, 2);
  checker.stop();
  pending({true, 1ms, ""});
  EXPECT_FALSE(health.up());  // the result arrived after stop: ignored
}

}  // namespace
}  // namespace twin::front
