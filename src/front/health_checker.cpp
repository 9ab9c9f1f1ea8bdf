#include "front/health_checker.h"

#include <algorithm>

namespace twin::front {

HealthChecker::HealthChecker(Scheduler& scheduler, OriginHealth& health, Probe probe,
                             Scheduler::Duration interval,
                             std::function<void(const HealthChange&)> on_change)
    : scheduler_(scheduler),
      health_(health),
      probe_(std::move(probe)),
      interval_(interval),
      on_change_(std::move(on_change)) {}

HealthChecker::~HealthChecker() {
  stop();
}

void HealthChecker::start() {
  *alive_ = true;
  send();
}

void HealthChecker::stop() {
  // Timers and results still on their way hold the old flag and find it false.
  *alive_ = false;
  alive_ = std::make_shared<bool>(false);
}

void HealthChecker::send() {
  ++sent_;
  auto started = scheduler_.now();
  std::weak_ptr<bool> alive = alive_;
  probe_([this, alive, started](ProbeResult result) {
    auto flag = alive.lock();
    if (flag && *flag) finished(started, result);
  });
}

void HealthChecker::finished(Scheduler::TimePoint started, const ProbeResult& result) {
  auto change =
      result.passed ? health_.probe_passed(result.latency) : health_.probe_failed(result.failure);
  if (change && on_change_) on_change_(*change);
  // The next probe an interval after this one started, or at once if this one took longer.
  auto wait = std::max(Scheduler::Duration::zero(), started + interval_ - scheduler_.now());
  std::weak_ptr<bool> alive = alive_;
  scheduler_.after(wait, [this, alive] {
    auto flag = alive.lock();
    if (flag && *flag) send();
  });
}

}  // namespace twin::front
