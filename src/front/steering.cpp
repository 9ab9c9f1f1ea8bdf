#include "front/steering.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace twin::front {
namespace {

// The path of an absolute URL ("http://h:1/steer?x" → "/steer").
std::string path_of(const std::string& url) {
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return "/";
  return url.substr(slash, url.find_first_of("?#", slash) - slash);
}

// The host[:port] of an absolute URL, lower case, without the scheme's default port.
std::string authority_of(std::string_view url) {
  auto scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  std::string authority(rest.substr(0, rest.find_first_of("/?#")));
  for (char& c : authority)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  std::string_view default_port = url.starts_with("https:") ? ":443" : ":80";
  if (authority.ends_with(default_port)) authority.resize(authority.size() - default_port.size());
  return authority;
}

}  // namespace

SteeringRequest steering_request_from(const http::Target& target) {
  SteeringRequest r;
  for (const char* protocol : {"hls", "dash"}) {
    std::string prefix = protocol == std::string("hls") ? "_HLS_" : "_DASH_";
    auto pathway = target.param(prefix + "pathway");
    auto throughput = target.param(prefix + "throughput");
    if (!pathway && !throughput) continue;
    r.protocol = protocol;
    // dash.js 5 sends every service location it used since its last request, in quotes and
    // comma-separated ("\"A,B\""), with a throughput each (empty when unmeasured).
    if (pathway) {
      std::erase(*pathway, '"');
      r.pathway = std::string(str::split(*pathway, ',').front());
    }
    if (throughput) {
      std::string first(str::split(*throughput, ',').front());
      r.throughput = std::strtoull(first.c_str(), nullptr, 10);
    }
  }
  return r;
}

SteeringServer::SteeringServer(config::Steering steering, HealthPolicy policy,
                               const Scheduler& clock, double requests_per_second)
    : steering_(std::move(steering)),
      clock_(clock),
      requests_per_second_(requests_per_second),
      tokens_(std::max(1.0, requests_per_second)),
      refilled_(clock.now()) {
  const config::Pathway* preferred = steering_.find(steering_.default_pathway);
  if (preferred) pathways_.push_back(std::make_unique<SteeredPathway>(*preferred, policy, clock));
  for (const auto& p : steering_.pathways)
    if (&p != preferred) pathways_.push_back(std::make_unique<SteeredPathway>(p, policy, clock));
  // Once here, not per request: every request with CMCD asks which pathway its Host names.
  for (auto& p : pathways_) p->authority = authority_of(p->config.base);
  paths_.push_back(path_of(steering_.server));
  for (const auto& p : steering_.pathways)
    if (!p.steering.empty()) paths_.push_back(path_of(p.steering));
}

std::string SteeringServer::pathway_for_host(std::string_view host) const {
  std::string as_http = authority_of("http://" + std::string(host));
  std::string as_https = authority_of("https://" + std::string(host));
  for (const auto& p : pathways_)
    if (p->authority == (p->config.base.starts_with("https:") ? as_https : as_http))
      return p->config.id;
  return "";
}

bool SteeringServer::serves(std::string_view path) const {
  for (const auto& p : paths_)
    if (p == path) return true;
  return false;
}

std::vector<std::string> SteeringServer::priority() const {
  std::vector<std::string> up, down;
  for (const auto& p : pathways_) (p->health.up() ? up : down).push_back(p->config.id);
  up.insert(up.end(), down.begin(), down.end());
  return up;
}

std::string SteeringServer::answer(const SteeringRequest& request) {
  {
    std::lock_guard lock(mutex_);
    // A player names its pathway; only configured ids become labels, the rest "unknown".
    bool known = request.pathway.empty() || steering_.find(request.pathway);
    ++requests_[known ? request.pathway : "unknown"];
  }
  std::vector<std::string> order = priority();
  nlohmann::ordered_json body = {{"VERSION", 1}, {"TTL", steering_.ttl_seconds}};
  if (std::string reload = reload_uri(order); !reload.empty()) body["RELOAD-URI"] = reload;
  body["PATHWAY-PRIORITY"] = order;
  body["SERVICE-LOCATION-PRIORITY"] = order;
  return body.dump();
}

SteeringAnswer SteeringServer::respond(const SteeringRequest& request) {
  if (retired_) {
    std::lock_guard lock(mutex_);
    ++refusals_["gone"];
    return {410, "This steering server is retired: keep the pathway you use.\n", 0};
  }
  if (!take_token()) {
    std::lock_guard lock(mutex_);
    ++refusals_["rate"];
    return {429, "Too many steering requests: ask again after Retry-After seconds.\n",
            static_cast<unsigned>(2 * steering_.ttl_seconds)};
  }
  return {200, answer(request), 0};
}

bool SteeringServer::take_token() {
  if (requests_per_second_ <= 0) return true;
  std::lock_guard lock(mutex_);
  auto now = clock_.now();
  double elapsed = std::chrono::duration<double>(now - refilled_).count();
  refilled_ = now;
  tokens_ = std::min(std::max(1.0, requests_per_second_), tokens_ + elapsed * requests_per_second_);
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

std::map<std::string, uint64_t> SteeringServer::refusals() const {
  std::lock_guard lock(mutex_);
  return refusals_;
}

// The next pathway's steering server that is up, after the preferred one; the preferred one's when
// no other is up (a reload sent to a dead server only fails: dash.js reports each as an error);
// any when none is up; none when no pathway names one.
std::string SteeringServer::reload_uri(const std::vector<std::string>& order) const {
  std::vector<const SteeredPathway*> candidates;
  for (size_t i = 1; i <= order.size(); ++i)
    for (const auto& p : pathways_)
      if (p->config.id == order[i % order.size()] && !p->config.steering.empty())
        candidates.push_back(p.get());
  for (const auto* p : candidates)
    if (p->health.up()) return p->config.steering;
  return candidates.empty() ? "" : candidates.front()->config.steering;
}

std::map<std::string, uint64_t> SteeringServer::requests_by_pathway() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

}  // namespace twin::front
