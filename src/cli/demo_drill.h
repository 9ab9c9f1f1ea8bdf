// The demo's outage drill: a built-in player (client::SegmentPlayer, real time, 4 s buffer)
// streams HLS through the front while A's process is killed, restarted, frozen (SIGSTOP) and
// resumed. It reports errors and stalls, and how long until B served, and A again.
#pragma once

#include <atomic>
#include <ostream>
#include <string>
#include <vector>

#include "cli/demo_cluster.h"
#include "client/replicator.h"

namespace twin::cli {

struct DrillReport {
  size_t requests = 0, errors = 0, stalls = 0;
  long long stall_ms = 0;
  std::vector<std::string> events;  // "A killed: first segment from B after 31 ms"
  std::string summary() const;
  bool clean() const { return errors == 0 && stalls == 0; }
};

DrillReport run_drill(DemoCluster& cluster, const client::ReplicationResult& published,
                      const std::atomic<bool>& interrupted, std::ostream& out);

}  // namespace twin::cli
