#include "front/scheduler.h"

namespace twin::front {

void ManualScheduler::after(Duration delay, std::function<void()> fn) {
  timers_.emplace(now_ + delay, std::move(fn));
}

void ManualScheduler::advance(Duration step) {
  TimePoint end = now_ + step;
  while (!timers_.empty() && timers_.begin()->first <= end) {
    auto due = timers_.begin();
    now_ = due->first;
    auto fn = std::move(due->second);
    timers_.erase(due);
    fn();
  }
  now_ = end;
}

}  // namespace twin::front
