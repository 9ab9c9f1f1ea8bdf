// The front's content steering server: it probes every pathway of [streaming.steering] (an
// origin, a front or a CDN; a front answers /health itself, so a dead or frozen front fails its
// probes) and answers GET on the steering path with the steering manifest players reload every
// TTL: the pathways that are up first, in the configured order with the default first, then
// those that are down. Every front configured alike decides from the same probes and the same
// order, so several fronts can answer at once without sharing state.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/steering_config.h"
#include "front/health.h"
#include "front/scheduler.h"
#include "http/target.h"

namespace twin::front {

struct SteeredPathway {
  config::Pathway config;
  OriginHealth health;
  std::string authority;  // the base's host[:port], lower case, as a Host header names it
  SteeredPathway(config::Pathway c, HealthPolicy policy, const Scheduler& clock)
      : config(std::move(c)), health(policy, clock) {}
};

// What a player said about itself in a steering request (_HLS_* or _DASH_* parameters).
struct SteeringRequest {
  std::string protocol;     // "hls", "dash", or "" when it said nothing (DASH's first request)
  std::string pathway;      // the pathway it uses now (dash.js may list several: the first)
  uint64_t throughput = 0;  // bits per second, as it measured
};
SteeringRequest steering_request_from(const http::Target& target);

// What the steering path answers: 200 with the manifest; 410 Gone once the operator retired the
// server (players should stop asking and keep their pathway); 429 with Retry-After (seconds)
// over the configured request rate.
struct SteeringAnswer {
  unsigned status = 200;
  std::string body;
  unsigned retry_after = 0;
};

class SteeringServer {
 public:
  // requests_per_second: the steering requests answered each second, over all players, before
  // 429s (0: no limit); a burst of up to one second's worth (at least one) passes.
  SteeringServer(config::Steering steering, HealthPolicy policy, const Scheduler& clock,
                 double requests_per_second = 0);

  const config::Steering& config() const { return steering_; }
  std::vector<std::unique_ptr<SteeredPathway>>& pathways() { return pathways_; }
  // Whether a request path is one the steering manifest is served at (the paths of the server
  // URL and of every pathway's steering URL).
  bool serves(std::string_view path) const;
  // The pathway whose base names this Host header ("edge-a:8900"), or "" for none.
  std::string pathway_for_host(std::string_view host) const;

  // Up pathways first (the default first among them, then the configured order), then down.
  std::vector<std::string> priority() const;
  // The JSON answer: VERSION, TTL, RELOAD-URI (the steering server over the next pathway after
  // the preferred one that is up, so that the next reload does not share the preferred
  // pathway's fate; the preferred one's when no other is up), PATHWAY-PRIORITY (HLS, and what
  // dash.js 5 and shaka-player read for DASH too) and SERVICE-LOCATION-PRIORITY (DASH-IF's name).
  // Counts the request.
  std::string answer(const SteeringRequest& request);
  // The answer with its status: answer()'s manifest unless retired or over the rate. A 429's
  // Retry-After is twice the TTL, so the players that honour it (dash.js) ask half as often.
  SteeringAnswer respond(const SteeringRequest& request);
  void retire(bool retired) { retired_ = retired; }
  bool retired() const { return retired_; }
  // Requests answered 410 ("gone") and 429 ("rate").
  std::map<std::string, uint64_t> refusals() const;

  // Requests per pathway the players said they were on ("" when they said none, "unknown" for
  // an id that is not configured).
  std::map<std::string, uint64_t> requests_by_pathway() const;

 private:
  std::string reload_uri(const std::vector<std::string>& order) const;
  config::Steering steering_;
  std::vector<std::unique_ptr<SteeredPathway>> pathways_;  // default first, then configured order
  std::vector<std::string> paths_;
  bool take_token();

  const Scheduler& clock_;
  double requests_per_second_;
  std::atomic<bool> retired_{false};
  mutable std::mutex mutex_;
  std::map<std::string, uint64_t> requests_;
  std::map<std::string, uint64_t> refusals_;
  double tokens_ = 0;  // the rate limit's bucket
  Scheduler::TimePoint refilled_{};
};

}  // namespace twin::front
