#include "front/origin_pool.h"

#include <gtest/gtest.h>

namespace twin::front {
namespace {

using namespace std::chrono_literals;

OriginConfig origin(std::string name, int priority, int weight = 1) {
  OriginConfig c;
  c.name = std::move(name);
  c.url = "http://127.0.0.1:1";
  c.priority = priority;
  c.weight = weight;
  return c;
}

std::vector<std::string> names(const std::vector<Origin*>& plan) {
  std::vector<std::string> out;
  for (auto* o : plan) out.push_back(o->config.name);
  return out;
}

using Names = std::vector<std::string>;

TEST(OriginPool, ThePrimaryTakesEveryRequestWhileUpAndTheNextLevelIsTheFallback) {
  ManualScheduler clock;
  OriginPool pool({origin("B", 1), origin("A", 0)}, {}, clock);
  EXPECT_EQ(names(pool.plan()), (Names{"A", "B"}));
  pool.find("A")->health.request_failed("connection refused");
  EXPECT_EQ(names(pool.plan()), Names{"B"});  // a down origin gets no viewer request
  EXPECT_FALSE(pool.panicking());
  pool.find("A")->drained = false;
  for (int i = 0; i < 3; ++i) pool.find("A")->health.probe_passed(1ms);
  EXPECT_EQ(names(pool.plan()), (Names{"A", "B"}));  // fail-back after rise passes
}

TEST(OriginPool, ADrainedOriginGetsNothingNew) {
  ManualScheduler clock;
  OriginPool pool({origin("A", 0), origin("B", 1)}, {}, clock);
  pool.find("A")->drained = true;
  EXPECT_EQ(names(pool.plan()), Names{"B"});
  pool.find("A")->drained = false;
  EXPECT_EQ(names(pool.plan()), (Names{"A", "B"}));
}

TEST(OriginPool, WithNoOriginUpEveryEnabledOneIsTriedInOrder) {
  ManualScheduler clock;
  OriginPool pool({origin("A", 0), origin("B", 1), origin("C", 2)}, {}, clock);
  for (auto& o : pool.origins()) o->health.request_failed("503");
  pool.find("C")->drained = true;
  EXPECT_TRUE(pool.panicking());
  EXPECT_EQ(names(pool.plan()), (Names{"A", "B"}));
}

TEST(OriginPool, WeightsShareOneLevelSmoothly) {
  ManualScheduler clock;
  OriginPool pool({origin("A", 0, 5), origin("B", 0, 1), origin("C", 1)}, {}, clock);
  std::string firsts;
  for (int i = 0; i < 12; ++i) firsts += pool.plan().front()->config.name;
  EXPECT_EQ(std::count(firsts.begin(), firsts.end(), 'A'), 10);
  EXPECT_EQ(std::count(firsts.begin(), firsts.end(), 'B'), 2);
  EXPECT_EQ(firsts.find("BB"), std::string::npos);
  EXPECT_EQ(firsts.find('C'), std::string::npos);
  auto plan = names(pool.plan());
  EXPECT_EQ(plan.size(), 3u);  // the others stay in the plan for retries
  EXPECT_EQ(plan.back(), "C");
}

TEST(LatencyWindow, TheHedgeBudgetFollowsRecentFirstBytes) {
  LatencyWindow w;
  EXPECT_EQ(w.hedge_budget(), 500ms);  // nothing known yet
  for (int i = 0; i < 7; ++i) w.record(5ms);
  EXPECT_EQ(w.hedge_budget(), 500ms);
  w.record(5ms);
  EXPECT_EQ(w.hedge_budget(), 20ms);                                                   // the floor
  for (int i = 0; i < 64; ++i) w.record(std::chrono::milliseconds(i < 57 ? 40 : 90));  // 7 slow
  EXPECT_EQ(w.hedge_budget(), 180ms);  // twice the 90th percentile: the slow tail counts
  for (int i = 0; i < 64; ++i) w.record(400ms);
  EXPECT_EQ(w.hedge_budget(), 500ms);  // the ceiling
  EXPECT_EQ(w.samples(), 64u);
}

}  // namespace
}  // namespace twin::front
