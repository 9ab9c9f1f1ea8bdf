#include "client/watcher.h"

#include <set>

#include "common/log.h"

namespace twin::client {

ReplicationWatcher::ReplicationWatcher(DataCenter a, DataCenter b, CopyBatchOptions copy)
    : a_(a), b_(b), replicator_(a, b, {}, copy) {}

void ReplicationWatcher::report_failure(const std::string& key, const std::string& event,
                                        const std::string& id, const std::string& cause) {
  std::string& last = failures_[key];
  if (last == cause) return;
  last = cause;
  log::warn(event, {{"id", id}, {"cause", cause}});
}

void ReplicationWatcher::replicate_all() {
  for (const auto& locator : live_origin_locators(a_.media)) {
    try {
      ReplicationResult r = replicator_.replicate_locator(locator.id);
      failures_.erase(locator.asset_id);
      if (r.already_replicated) continue;
      log::info("asset_replicated", {{"asset", r.source_asset},
                                     {"locator", r.locator_id},
                                     {"target", r.target_asset},
                                     {"copied", std::to_string(r.copied.size())},
                                     {"bytes", std::to_string(r.bytes_copied)}});
    } catch (const std::exception& e) {
      report_failure(locator.asset_id, "asset_replication_failed", locator.asset_id, e.what());
    }
  }
}

void ReplicationWatcher::remove_deleted() {
  std::map<std::string, std::string> policy_names;
  for (const auto& p : b_.media.get("AccessPolicies")) {
    AccessPolicy policy = policy_from(p);
    policy_names[policy.id] = policy.name;
  }
  for (const auto& l : locators_from(b_.media.get("Locators"))) {
    if (l.type != kOriginLocator || policy_names[l.policy_id] != kOriginPolicyName) continue;
    MediaClient::Answer in_a = a_.media.call("GET", "Locators" + entity_key(l.id));
    if (in_a.status != 404) continue;  // still there, or A cannot tell now
    b_.media.remove("Locators" + entity_key(l.id));
    b_.media.remove("AccessPolicies" + entity_key(l.policy_id));
    log::info("locator_removed",
              {{"locator", l.id}, {"asset", l.asset_id}, {"why", "deleted in A"}});
  }
}

void ReplicationWatcher::pass() {
  try {
    replicate_all();
    remove_deleted();
    failures_.erase("pass");
  } catch (const std::exception& e) {
    report_failure("pass", "replication_pass_failed", a_.profile.name + "->" + b_.profile.name,
                   e.what());
  }
}

}  // namespace twin::client
