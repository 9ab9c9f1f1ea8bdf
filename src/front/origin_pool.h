// The origins behind the front, in priority order, and which one a viewer request goes to: the
// first priority level with an origin that is up and enabled takes every request, shared by
// weight inside the level (smooth weighted round robin, as nginx does). A down origin gets
// probes only; a drained one (planned maintenance) gets nothing new. When no origin is up the
// pool panics, as Envoy does: every enabled origin is tried in priority order, since a request
// that may fail beats one refused for certain. Not thread-safe: the front holds a lock around
// plan() and the latency windows.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "front/health.h"
#include "front/latency.h"

namespace twin::front {

struct OriginConfig {
  std::string name;  // "A", shown in X-Served-By and the log
  std::string url;   // "http://dc-a.example.net:8800"
  int priority = 0;  // lower goes first; the order given on the command line by default
  int weight = 1;    // share of the requests inside one priority level
  std::string host;  // Host header to send; empty: the URL's host
};

struct Origin {
  OriginConfig config;
  OriginHealth health;
  LatencyWindow first_byte;  // recent time to first byte of viewer requests (the pool's lock)
  std::atomic<bool> drained{false};
  int64_t current_weight = 0;  // smooth weighted round robin (the pool's lock)
  // Requests sent to it, failed, and sent to it as a retry, a hedge or a resume.
  std::atomic<uint64_t> requests{0}, failures{0}, retries{0}, hedges{0}, resumes{0};

  Origin(OriginConfig c, HealthPolicy policy, const Scheduler& clock)
      : config(std::move(c)), health(policy, clock) {}
  bool enabled() const { return !drained; }
};

class OriginPool {
 public:
  OriginPool(std::vector<OriginConfig> origins, HealthPolicy policy, const Scheduler& clock);

  // The origins to try for one request, best first: the chosen one, then the others that are
  // up in priority order (for retries and hedges). In panic, every enabled origin.
  std::vector<Origin*> plan();

  Origin* find(const std::string& name);
  std::vector<std::unique_ptr<Origin>>& origins() { return origins_; }
  bool panicking() const;

 private:
  Origin* pick_in_level(int priority);

  std::vector<std::unique_ptr<Origin>> origins_;  // sorted by priority, stable
};

}  // namespace twin::front
