// One origin's health as the front sees it, the way HAProxy and Envoy count it: `fall` failed
// probes in a row take an up origin down, `rise` passed probes in a row bring a down one back,
// and a viewer request that fails before its response starts takes it down at once (passive),
// so the next request already avoids it. Pure state: time comes from the scheduler, probes and
// requests report here, and the caller acts on the change returned. Safe to share between
// threads: probes report on one, viewer requests on all.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "front/scheduler.h"

namespace twin::front {

struct HealthPolicy {
  int rise = 3;  // passed probes in a row that bring a down origin back
  int fall = 2;  // failed probes in a row that take an up origin down
};

enum class HealthState { up, down };
const char* to_string(HealthState state);

struct HealthChange {
  HealthState from, to;
  std::string reason;  // "3 probes passed", "2 probes failed: connection refused", …
};

class OriginHealth {
 public:
  // An origin starts up: a dead one is found by the first viewer request (which then goes on
  // to the next origin) or the first probes, whichever comes first.
  OriginHealth(HealthPolicy policy, const Scheduler& clock);

  std::optional<HealthChange> probe_passed(Scheduler::Duration latency);
  std::optional<HealthChange> probe_failed(const std::string& why);
  // A viewer request failed before its response started: refused, reset, no first byte in
  // time, or a 5xx.
  std::optional<HealthChange> request_failed(const std::string& why);

  HealthState state() const;
  bool up() const { return state() == HealthState::up; }
  Scheduler::TimePoint since() const;
  std::string reason() const;
  std::optional<Scheduler::Duration> last_probe_latency() const;

 private:
  std::optional<HealthChange> move_to(HealthState to, std::string reason);

  HealthPolicy policy_;
  const Scheduler& clock_;
  mutable std::mutex mutex_;
  HealthState state_ = HealthState::up;
  Scheduler::TimePoint since_;
  std::string reason_ = "starting";
  int passes_ = 0, failures_ = 0;  // in a row
  std::optional<Scheduler::Duration> latency_;
};

}  // namespace twin::front
