// What the dashboard's data center panel charts: once a second, each origin's health, the
// latency of its last probe, and its requests and failures per second over the last second;
// the front's cache hits and misses too. Kept for the last five minutes (300 samples), so a page
// opened after an outage still shows it. The timer is the front's scheduler: a unit test moves
// time and fires it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "front/front_state.h"
#include "front/scheduler.h"

namespace twin::dashboard {

struct OriginSample {
  bool up = false;
  bool drained = false;
  std::optional<double> probe_ms;  // the last probe's latency; none before the first passes
  double requests_per_second = 0, failures_per_second = 0;
};

struct Sample {
  double age_seconds = 0;  // filled when read: how long ago it was taken
  front::Scheduler::TimePoint taken{};
  std::map<std::string, OriginSample> origins;  // by origin name
  double cache_hits_per_second = 0, cache_misses_per_second = 0;
};

class StatusHistory {
 public:
  static constexpr size_t kSamples = 300;
  StatusHistory(front::FrontState& state, front::Scheduler& scheduler,
                std::chrono::milliseconds interval = std::chrono::seconds(1));
  ~StatusHistory();

  void start();  // the first sample now, then one per interval; on the scheduler's thread
  void stop();
  void sample();                        // one sample now (the timer's work)
  std::vector<Sample> samples() const;  // oldest first, with their ages

 private:
  struct Totals {
    std::map<std::string, std::pair<uint64_t, uint64_t>> origins;  // requests, failures
    uint64_t hits = 0, misses = 0;
    front::Scheduler::TimePoint at{};
  };
  void schedule();
  Totals read_totals() const;

  front::FrontState& state_;
  front::Scheduler& scheduler_;
  std::chrono::milliseconds interval_;
  std::shared_ptr<bool> running_ = std::make_shared<bool>(false);
  mutable std::mutex mutex_;
  std::deque<Sample> samples_;
  std::optional<Totals> last_;
};

}  // namespace twin::dashboard
