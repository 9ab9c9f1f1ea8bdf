#include "front/health.h"

namespace twin::front {

const char* to_string(HealthState state) {
  return state == HealthState::up ? "up" : "down";
}

OriginHealth::OriginHealth(HealthPolicy policy, const Scheduler& clock)
    : policy_(policy), clock_(clock), since_(clock.now()) {}

std::optional<HealthChange> OriginHealth::probe_passed(Scheduler::Duration latency) {
  std::lock_guard lock(mutex_);
  latency_ = latency;
  failures_ = 0;
  ++passes_;
  if (state_ == HealthState::down && passes_ >= policy_.rise)
    return move_to(HealthState::up, std::to_string(passes_) + " probes passed");
  return std::nullopt;
}

std::optional<HealthChange> OriginHealth::probe_failed(const std::string& why) {
  std::lock_guard lock(mutex_);
  passes_ = 0;
  ++failures_;
  if (state_ == HealthState::up && failures_ >= policy_.fall)
    return move_to(HealthState::down, std::to_string(failures_) + " probes failed: " + why);
  return std::nullopt;
}

std::optional<HealthChange> OriginHealth::request_failed(const std::string& why) {
  std::lock_guard lock(mutex_);
  passes_ = 0;  // whatever the probes say, it is not back yet
  if (state_ == HealthState::up) return move_to(HealthState::down, "a request failed: " + why);
  return std::nullopt;
}

HealthState OriginHealth::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

Scheduler::TimePoint OriginHealth::since() const {
  std::lock_guard lock(mutex_);
  return since_;
}

std::string OriginHealth::reason() const {
  std::lock_guard lock(mutex_);
  return reason_;
}

std::optional<Scheduler::Duration> OriginHealth::last_probe_latency() const {
  std::lock_guard lock(mutex_);
  return latency_;
}

std::optional<HealthChange> OriginHealth::move_to(HealthState to, std::string reason) {
  HealthChange change{state_, to, reason};
  state_ = to;
  since_ = clock_.now();
  reason_ = std::move(reason);
  passes_ = failures_ = 0;
  return change;
}

}  // namespace twin::front
