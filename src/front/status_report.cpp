#include "front/status_report.h"

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>

#include "common/time.h"

namespace twin::front {
namespace {

constexpr size_t kStatusSessions = 50;  // the sessions /front/status lists, last seen first

double seconds(Scheduler::Duration d) {
  return std::chrono::duration<double>(d).count();
}

// A scheduler time point as wall-clock text.
std::string wall_time(FrontState& state, Scheduler::TimePoint at) {
  auto ago = state.scheduler().now() - at;
  auto wall = std::chrono::system_clock::now() -
              std::chrono::duration_cast<std::chrono::system_clock::duration>(ago);
  return timefmt::iso8601_7(std::chrono::time_point_cast<std::chrono::microseconds>(wall));
}

nlohmann::json latency_ms(const OriginHealth& health) {
  if (auto latency = health.last_probe_latency()) return seconds(*latency) * 1000;
  return nullptr;
}

nlohmann::json steering_object(FrontState& state, SteeringServer& steering) {
  nlohmann::json j = {{"server", steering.config().server},
                      {"ttl_seconds", steering.config().ttl_seconds},
                      {"priority", steering.priority()},
                      {"pathways", nlohmann::json::array()},
                      {"requests_by_pathway", steering.requests_by_pathway()},
                      {"retired", steering.retired()},
                      {"refusals", steering.refusals()}};
  for (auto& p : steering.pathways())
    j["pathways"].push_back({{"id", p->config.id},
                             {"base", p->config.base},
                             {"steering", p->config.steering},
                             {"state", to_string(p->health.state())},
                             {"since", wall_time(state, p->health.since())},
                             {"reason", p->health.reason()},
                             {"probe_latency_ms", latency_ms(p->health)}});
  return j;
}

nlohmann::json percentiles_json(const std::optional<Percentiles>& p) {
  if (!p) return nullptr;
  return {{"p10", p->p10}, {"p50", p->p50}, {"p90", p->p90}, {"samples", p->samples}};
}

// What viewers reported with CMCD, per pathway, and the sessions seen last.
nlohmann::json qoe_object(QoeStats& qoe) {
  nlohmann::json pathways = nlohmann::json::object();
  for (const auto& [id, p] : qoe.pathways())
    pathways[id] = {{"requests", p.requests},
                    {"sessions", p.sessions},
                    {"active_sessions", p.active_sessions},
                    {"starvation_events", p.starvation_events},
                    {"buffer_length_ms", percentiles_json(p.buffer_length_ms)},
                    {"throughput_kbps", percentiles_json(p.throughput_kbps)}};
  nlohmann::json sessions = nlohmann::json::array();
  for (const auto& s : qoe.sessions(kStatusSessions)) {
    nlohmann::json buffer = nullptr;
    if (s.buffer_length_ms) buffer = *s.buffer_length_ms;
    sessions.push_back({{"id", s.id},
                        {"pathway", s.pathway},
                        {"requests", s.requests},
                        {"starvation_events", s.starvation_events},
                        {"buffer_length_ms", buffer},
                        {"seen_ms_ago", seconds(s.since_seen) * 1000}});
  }
  return {{"pathways", pathways},
          {"sessions", sessions},
          {"malformed_reports", qoe.malformed_reports()}};
}

void qoe_metrics(QoeStats& qoe,
                 const std::function<void(const std::string&, const std::string&, double)>& line) {
  for (const auto& [id, p] : qoe.pathways()) {
    std::string l = "pathway=\"" + id + "\"";
    line("twin_front_cmcd_requests_total", l, static_cast<double>(p.requests));
    line("twin_front_cmcd_sessions_total", l, static_cast<double>(p.sessions));
    line("twin_front_cmcd_active_sessions", l, static_cast<double>(p.active_sessions));
    line("twin_front_cmcd_starvation_events_total", l, static_cast<double>(p.starvation_events));
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBufferLengthBuckets.size(); ++i) {
      cumulative += p.buffer_buckets[i];
      char le[16];
      std::snprintf(le, sizeof le, "%g", kBufferLengthBuckets[i]);
      line("twin_front_cmcd_buffer_length_seconds_bucket", l + ",le=\"" + le + "\"",
           static_cast<double>(cumulative));
    }
    line("twin_front_cmcd_buffer_length_seconds_bucket", l + ",le=\"+Inf\"",
         static_cast<double>(p.buffer_samples));
    line("twin_front_cmcd_buffer_length_seconds_sum", l, p.buffer_seconds_sum);
    line("twin_front_cmcd_buffer_length_seconds_count", l, static_cast<double>(p.buffer_samples));
  }
  line("twin_front_cmcd_malformed_total", "", static_cast<double>(qoe.malformed_reports()));
}

}  // namespace

nlohmann::json origin_status(FrontState& state, Origin& o) {
  nlohmann::json j = {
      {"name", o.config.name},
      {"url", o.config.url},
      {"priority", o.config.priority},
      {"weight", o.config.weight},
      {"state", to_string(o.health.state())},
      {"since", wall_time(state, o.health.since())},
      {"reason", o.health.reason()},
      {"drained", o.drained.load()},
      {"requests", o.requests.load()},
      {"failures", o.failures.load()},
      {"retries", o.retries.load()},
      {"hedges", o.hedges.load()},
      {"resumes", o.resumes.load()},
      {"hedge_budget_ms", seconds(state.hedge_budget(o)) * 1000},
  };
  j["probe_latency_ms"] = latency_ms(o.health);
  return j;
}

std::string origin_json(FrontState& state, Origin& origin) {
  return origin_status(state, origin).dump();
}

std::string status_json(FrontState& state) {
  return front_status(state).dump();
}

nlohmann::json front_status(FrontState& state) {
  nlohmann::json j;
  j["origins"] = nlohmann::json::array();
  for (auto& o : state.origins()) j["origins"].push_back(origin_status(state, *o));
  auto c = state.cache().stats();
  j["cache"] = {{"hits", c.hits},           {"misses", c.misses},      {"coalesced", c.coalesced},
                {"evictions", c.evictions}, {"stale", c.stale_served}, {"bytes", c.bytes},
                {"objects", c.objects}};
  auto& n = state.counters();
  j["requests"] = n.requests.load();
  j["failovers"] = n.failovers.load();
  j["no_origin"] = n.no_origin.load();
  j["cut_bodies"] = n.cut_bodies.load();
  if (SteeringServer* steering = state.steering())
    j["steering"] = steering_object(state, *steering);
  j["qoe"] = qoe_object(state.qoe());
  return j;
}

std::string metrics_text(FrontState& state) {
  std::string out;
  auto line = [&](const std::string& name, const std::string& labels, double value) {
    out += name;
    if (!labels.empty()) out += "{" + labels + "}";
    out += ' ';
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    out += buffer;
    out += '\n';
  };
  for (auto& o : state.origins()) {
    std::string l = "origin=\"" + o->config.name + "\"";
    line("twin_front_origin_up", l, o->health.up() ? 1 : 0);
    line("twin_front_origin_drained", l, o->drained ? 1 : 0);
    if (auto latency = o->health.last_probe_latency())
      line("twin_front_origin_probe_latency_seconds", l, seconds(*latency));
    line("twin_front_origin_requests_total", l, static_cast<double>(o->requests));
    line("twin_front_origin_failures_total", l, static_cast<double>(o->failures));
    line("twin_front_origin_retries_total", l, static_cast<double>(o->retries));
    line("twin_front_origin_hedges_total", l, static_cast<double>(o->hedges));
    line("twin_front_origin_resumes_total", l, static_cast<double>(o->resumes));
    for (auto to : {HealthState::up, HealthState::down})
      line("twin_front_origin_transitions_total", l + ",to=\"" + to_string(to) + "\"",
           static_cast<double>(state.transitions(*o, to)));
  }
  if (SteeringServer* steering = state.steering()) {
    for (auto& p : steering->pathways())
      line("twin_front_pathway_up", "pathway=\"" + p->config.id + "\"", p->health.up() ? 1 : 0);
    for (const auto& [pathway, count] : steering->requests_by_pathway())
      line("twin_front_steering_requests_total", "pathway=\"" + pathway + "\"",
           static_cast<double>(count));
    for (const auto& [reason, count] : steering->refusals())
      line("twin_front_steering_refused_total", "reason=\"" + reason + "\"",
           static_cast<double>(count));
  }
  qoe_metrics(state.qoe(), line);
  auto& n = state.counters();
  line("twin_front_failovers_total", "", static_cast<double>(n.failovers));
  line("twin_front_no_origin_total", "", static_cast<double>(n.no_origin));
  line("twin_front_cut_bodies_total", "", static_cast<double>(n.cut_bodies));
  auto c = state.cache().stats();
  line("twin_front_cache_hits_total", "", static_cast<double>(c.hits));
  line("twin_front_cache_misses_total", "", static_cast<double>(c.misses));
  line("twin_front_cache_coalesced_total", "", static_cast<double>(c.coalesced));
  line("twin_front_cache_evictions_total", "", static_cast<double>(c.evictions));
  line("twin_front_cache_stale_served_total", "", static_cast<double>(c.stale_served));
  line("twin_front_cache_bytes", "", static_cast<double>(c.bytes));
  line("twin_front_cache_objects", "", static_cast<double>(c.objects));
  return out;
}

}  // namespace twin::front
