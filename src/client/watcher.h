// `replicate --watch`: replication as a loop. Each pass replicates every live origin locator of
// A (each run is idempotent, so a pass with nothing new changes nothing and copies nothing),
// copies files added to an asset since, and deletes from B the replicated locators that A no
// longer has. State lives only in the two data centers, so the loop survives restarts of A, of
// B and of itself. One log line per asset per action.
#pragma once

#include <map>
#include <string>

#include "client/replicator.h"

namespace twin::client {

class ReplicationWatcher {
 public:
  ReplicationWatcher(DataCenter a, DataCenter b, CopyBatchOptions copy = {});
  // One pass; failures are logged, never thrown (a data center may be down for a while).
  void pass();

 private:
  void replicate_all();
  void remove_deleted();
  void report_failure(const std::string& key, const std::string& event, const std::string& id,
                      const std::string& cause);

  DataCenter a_, b_;
  Replicator replicator_;
  // The last failure logged per asset (or "pass"), so a lasting one is logged once.
  std::map<std::string, std::string> failures_;
};

}  // namespace twin::client
