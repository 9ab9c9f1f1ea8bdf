// Time and one-shot timers, injectable (as Envoy's health checker takes its dispatcher): the
// front's real scheduler runs on its I/O context; ManualScheduler lets a unit test move time
// forward and fire the timers that fall due, so no test sleeps.
#pragma once

#include <chrono>
#include <functional>
#include <map>

namespace twin::front {

class Scheduler {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;
  virtual ~Scheduler() = default;
  virtual TimePoint now() const = 0;
  // Runs fn once, delay from now, on the scheduler's thread.
  virtual void after(Duration delay, std::function<void()> fn) = 0;
};

class ManualScheduler : public Scheduler {
 public:
  TimePoint now() const override { return now_; }
  void after(Duration delay, std::function<void()> fn) override;
  // Moves time forward by step, firing every timer due on the way, in time order (a timer a
  // firing one sets is fired too if it falls due within the step).
  void advance(Duration step);
  size_t pending() const { return timers_.size(); }

 private:
  TimePoint now_{};
  std::multimap<TimePoint, std::function<void()>> timers_;
};

}  // namespace twin::front
