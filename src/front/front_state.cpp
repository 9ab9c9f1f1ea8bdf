#include "front/front_state.h"

#include <algorithm>

#include "common/log.h"

namespace twin::front {
namespace {
std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}
}  // namespace

FrontState::FrontState(FrontConfig config, Scheduler& scheduler)
    : config_(std::move(config)),
      scheduler_(scheduler),
      pool_(config_.origins, config_.health, scheduler),
      cache_(config_.cache_bytes, scheduler),
      qoe_(scheduler) {
  http::UpstreamTimeouts timeouts{config_.probe_timeout, config_.first_byte_timeout,
                                  config_.body_timeout};
  for (auto& origin : pool_.origins())
    upstreams_[origin.get()] =
        http::UpstreamPool::create(origin->config.url, origin->config.host, timeouts);
  if (config_.steering.enabled())
    steering_ = std::make_unique<SteeringServer>(config_.steering, config_.health, scheduler,
                                                 config_.steering_requests_per_second);
}

std::string FrontState::pathway_reached(std::string_view host) const {
  std::string id = steering_ ? steering_->pathway_for_host(host) : "";
  return id.empty() ? "none" : id;
}

std::vector<Origin*> FrontState::plan(const std::vector<Origin*>& exclude) {
  std::vector<Origin*> out;
  {
    std::lock_guard lock(mutex_);
    out = pool_.plan();
  }
  std::erase_if(out, [&](Origin* o) {
    return std::find(exclude.begin(), exclude.end(), o) != exclude.end();
  });
  return out;
}

Scheduler::Duration FrontState::hedge_budget(Origin& origin) {
  std::lock_guard lock(mutex_);
  return origin.first_byte.hedge_budget();
}

void FrontState::first_byte(Origin& origin, Scheduler::Duration latency) {
  std::lock_guard lock(mutex_);
  origin.first_byte.record(latency);
}

void FrontState::request_failed(Origin& origin, const std::string& why) {
  ++origin.failures;
  if (auto change = origin.health.request_failed(why)) health_changed(origin, *change);
}

void FrontState::health_changed(const Origin& origin, const HealthChange& change) {
  {
    std::lock_guard lock(transitions_mutex_);
    ++transitions_[{&origin, change.to}];
  }
  log::line(change.to == HealthState::down ? log::Level::warn : log::Level::info,
            "origin_health_changed",
            {{"origin", origin.config.name},
             {"from", to_string(change.from)},
             {"to", to_string(change.to)},
             {"reason", change.reason}});
}

void FrontState::pathway_changed(const SteeredPathway& pathway, const HealthChange& change) {
  log::line(change.to == HealthState::down ? log::Level::warn : log::Level::info,
            "pathway_health_changed",
            {{"pathway", pathway.config.id},
             {"from", to_string(change.from)},
             {"to", to_string(change.to)},
             {"reason", change.reason},
             {"priority", joined(steering_->priority())}});
}

uint64_t FrontState::transitions(const Origin& origin, HealthState to) const {
  std::lock_guard lock(transitions_mutex_);
  auto it = transitions_.find({&origin, to});
  return it == transitions_.end() ? 0 : it->second;
}

}  // namespace twin::front
