// What every viewer request of the front shares: the origins (health, weights, latency), a pooled
// upstream client per origin, the cache and the counters. Requests run on every I/O thread, so
// the pool's choices and latency windows are taken under one short lock; health and counters
// are safe on their own.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "front/cache.h"
#include "front/front_config.h"
#include "front/origin_pool.h"
#include "front/qoe.h"
#include "front/scheduler.h"
#include "front/steering.h"
#include "http/upstream.h"

namespace twin::front {

struct FrontCounters {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> failovers{0};   // answered by another origin than the first chosen
  std::atomic<uint64_t> no_origin{0};   // every origin failed (a stale object may still answer)
  std::atomic<uint64_t> cut_bodies{0};  // a body that could not be continued anywhere
};

class FrontState {
 public:
  FrontState(FrontConfig config, Scheduler& scheduler);

  const FrontConfig& config() const { return config_; }
  Scheduler& scheduler() { return scheduler_; }
  Cache& cache() { return cache_; }
  FrontCounters& counters() { return counters_; }
  std::vector<std::unique_ptr<Origin>>& origins() { return pool_.origins(); }
  SteeringServer* steering() { return steering_.get(); }  // null without [streaming.steering]
  QoeStats& qoe() { return qoe_; }
  // The steering pathway a request reached, by its Host header; "none" when no pathway's base
  // names it (or there is no steering).
  std::string pathway_reached(std::string_view host) const;
  Origin* find(const std::string& name) { return pool_.find(name); }

  // The origins for one request, best first, without those in `exclude`.
  std::vector<Origin*> plan(const std::vector<Origin*>& exclude = {});
  http::UpstreamPool& upstream(const Origin& origin) { return *upstreams_.at(&origin); }
  Scheduler::Duration hedge_budget(Origin& origin);
  void first_byte(Origin& origin, Scheduler::Duration latency);
  // A viewer request failed on this origin: down at once (passive health).
  void request_failed(Origin& origin, const std::string& why);
  // Logs a change of a steering pathway's health, with the priority it makes.
  void pathway_changed(const SteeredPathway& pathway, const HealthChange& change);
  // Logs a change of health, from probes or requests, and counts it.
  void health_changed(const Origin& origin, const HealthChange& change);
  uint64_t transitions(const Origin& origin, HealthState to) const;

 private:
  FrontConfig config_;
  Scheduler& scheduler_;
  std::mutex mutex_;
  OriginPool pool_;
  std::unique_ptr<SteeringServer> steering_;
  Cache cache_;
  QoeStats qoe_;
  FrontCounters counters_;
  std::map<const Origin*, std::shared_ptr<http::UpstreamPool>> upstreams_;
  mutable std::mutex transitions_mutex_;
  std::map<std::pair<const Origin*, HealthState>, uint64_t> transitions_;
};

}  // namespace twin::front
