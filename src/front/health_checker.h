// Active health checks of one origin: a probe every `interval` (measured from the start of the
// previous one, never two at once), each result fed to the origin's OriginHealth, and every
// change of state reported. How a probe is sent (an HTTP GET of the probe path within its
// budget) is the caller's; unit tests give a scripted one and fire the timers themselves.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "front/health.h"
#include "front/scheduler.h"

namespace twin::front {

struct ProbeResult {
  bool passed = false;
  Scheduler::Duration latency{};
  std::string failure;  // why it failed: "connection refused", "503", "no first byte in 500 ms"
};

// Sends one probe and calls done exactly once with its result (possibly later, on the
// scheduler's thread).
using Probe = std::function<void(std::function<void(ProbeResult)> done)>;

class HealthChecker {
 public:
  HealthChecker(Scheduler& scheduler, OriginHealth& health, Probe probe,
                Scheduler::Duration interval, std::function<void(const HealthChange&)> on_change);
  ~HealthChecker();

  void start();  // the first probe now
  void stop();   // no probe after this; a result still in flight is ignored

  uint64_t probes_sent() const { return sent_; }

 private:
  void send();
  void finished(Scheduler::TimePoint started, const ProbeResult& result);

  Scheduler& scheduler_;
  OriginHealth& health_;
  Probe probe_;
  Scheduler::Duration interval_;
  std::function<void(const HealthChange&)> on_change_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(false);
  uint64_t sent_ = 0;
};

}  // namespace twin::front
