// Faults a listener can be told to show, for outage drills (the demo's dashboard): answer every
// request 503, or hold every request for a delay before handling it. Like Envoy's fault filter,
// it is off unless a process enables it (`serve --fault-key`), and then only a caller with the
// key may set it, through the listener itself:
//   POST /faults?mode=503            every request, /health included, answers 503
//   POST /faults?mode=slow&delay_ms=3000   every request waits 3 s first
//   POST /faults?mode=off             normal service
//   GET  /faults                      the current fault, as JSON
// The control path itself is never faulted, so a drill can always end.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "http/server.h"

namespace twin::http {

enum class FaultMode { off, unavailable, slow };

struct Fault {
  FaultMode mode = FaultMode::off;
  std::chrono::milliseconds delay{0};
};

class FaultInjection {
 public:
  explicit FaultInjection(std::string key) : key_(std::move(key)) {}

  Fault current() const;
  void set(Fault fault);
  static bool is_control(std::string_view target);
  // Answers a request to the control path (authorised by the key).
  Response control(Exchange& exchange);

 private:
  std::string key_;
  mutable std::mutex mutex_;
  Fault fault_;
};

std::string to_string(FaultMode mode);  // "off", "503", "slow"

}  // namespace twin::http
