// What viewers experienced, per steering pathway, from the CMCD their players send (cmcd.h):
// sessions, buffer starvations and buffer lengths, so that an operator sees a failover as the
// players lived it, not only as the servers saw it. A request counts for the pathway it reached
// (the front whose host it named); a starvation is reported on the request after it, so a
// stall caused by one pathway is counted where the player went next.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "front/cmcd.h"
#include "front/scheduler.h"

namespace twin::front {

// Buffer lengths in seconds, the upper bounds of the Prometheus histogram's buckets.
inline constexpr std::array<double, 8> kBufferLengthBuckets = {0.5, 1, 2, 4, 8, 16, 30, 60};

struct Percentiles {
  double p10 = 0, p50 = 0, p90 = 0;
  size_t samples = 0;
};

struct PathwayQoe {
  uint64_t requests = 0;                        // requests that carried CMCD
  uint64_t sessions = 0;                        // distinct session ids seen on it
  uint64_t active_sessions = 0;                 // of those, last seen here within kActiveWindow
  uint64_t starvation_events = 0;               // bs reports, one per starvation of a session
  std::optional<Percentiles> buffer_length_ms;  // over its last kRecentSamples reports
  std::optional<Percentiles> throughput_kbps;
  // Prometheus histogram of buffer lengths: counts per bucket of kBufferLengthBuckets (not
  // cumulative), then those above; the sum in seconds.
  std::array<uint64_t, kBufferLengthBuckets.size() + 1> buffer_buckets{};
  double buffer_seconds_sum = 0;
  uint64_t buffer_samples = 0;
};

struct SessionQoe {
  std::string id;
  std::string pathway;  // where its last request went
  uint64_t requests = 0;
  uint64_t starvation_events = 0;
  std::optional<double> buffer_length_ms;  // its last report
  Scheduler::Duration since_seen{};
};

class QoeStats {
 public:
  // A session seen within this window is active.
  static constexpr auto kActiveWindow = std::chrono::seconds(30);
  // dash.js flags each media type that ran dry, so one stall arrives as up to two reports (the
  // next audio and the next video request, at most a segment apart): a report within this of
  // the session's last counted one is the same starvation.
  static constexpr auto kStarvationMerge = std::chrono::seconds(2);
  static constexpr size_t kRecentSamples = 1000;
  static constexpr size_t kMaxSessions = 10000;  // the least recently seen go first

  explicit QoeStats(const Scheduler& clock) : clock_(clock) {}

  void record(const std::string& pathway, const Cmcd& cmcd);
  void malformed() { ++malformed_; }

  std::map<std::string, PathwayQoe> pathways() const;
  // The most recently seen first.
  std::vector<SessionQoe> sessions(size_t limit) const;
  uint64_t malformed_reports() const { return malformed_; }

 private:
  struct Session {
    std::string pathway;
    std::vector<std::string> pathways_seen;
    uint64_t requests = 0;
    uint64_t starvation_events = 0;
    std::optional<Scheduler::TimePoint> last_starvation;
    std::optional<double> buffer_length_ms;
    Scheduler::TimePoint last_seen{};
  };
  struct Pathway {
    PathwayQoe totals;
    std::vector<double> recent_buffer_ms, recent_throughput_kbps;  // rings of kRecentSamples
    size_t next_buffer = 0, next_throughput = 0;
  };
  void count_session(Pathway& pathway, const std::string& pathway_id, const Cmcd& cmcd,
                     Scheduler::TimePoint now);
  void evict_oldest_session();

  const Scheduler& clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Pathway> pathways_;
  std::map<std::string, Session> sessions_;
  std::atomic<uint64_t> malformed_{0};
};

}  // namespace twin::front
