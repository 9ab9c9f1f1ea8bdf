#include "dashboard/dashboard_api.h"

#include <algorithm>

#include "front/status_report.h"

namespace twin::dashboard {
namespace {

using nlohmann::json;

json optional_number(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

json DashboardApi::history_json() const {
  json samples = json::array();
  for (const auto& s : history_.samples()) {
    json origins = json::object();
    for (const auto& [name, o] : s.origins)
      origins[name] = {{"up", o.up},
                       {"drained", o.drained},
                       {"probe_ms", optional_number(o.probe_ms)},
                       {"requests_per_second", o.requests_per_second},
                       {"failures_per_second", o.failures_per_second}};
    samples.push_back({{"age_seconds", s.age_seconds},
                       {"origins", origins},
                       {"cache_hits_per_second", s.cache_hits_per_second},
                       {"cache_misses_per_second", s.cache_misses_per_second}});
  }
  return samples;
}

// Data centers are matched by name: the front's origin "A" and the profile "[datacenters.A]".
json DashboardApi::overview() const {
  json front = front::front_status(state_);
  std::vector<std::string> names;
  for (const auto& o : state_.origins()) names.push_back(o->config.name);
  std::vector<DataCenterSnapshot> snapshots;
  if (poller_) snapshots = poller_->snapshots();
  for (const auto& s : snapshots)
    if (std::find(names.begin(), names.end(), s.name) == names.end()) names.push_back(s.name);
  json datacenters = json::array();
  for (const auto& name : names) {
    json dc = {{"name", name}, {"origin", nullptr}, {"media", nullptr}, {"storage", nullptr}};
    if (front::Origin* origin = state_.find(name)) {
      dc["origin"] = front::origin_status(state_, *origin);
    }
    for (const auto& s : snapshots) {
      if (s.name != name) continue;
      dc["media"] = to_json(s.media);
      dc["storage"] = to_json(s.storage);
    }
    datacenters.push_back(std::move(dc));
  }
  return {{"front", std::move(front)},
          {"datacenters", std::move(datacenters)},
          {"profiles", poller_ != nullptr},
          {"history", history_json()}};
}

json DashboardApi::verdicts(AssetRow& row, const std::vector<DataCenterSnapshot>& snapshots) const {
  json out = json::array();
  if (!verifier_ || row.replication != Replication::in_both) return out;
  std::string source;
  for (const auto& s : snapshots) {  // from the first data center in the profiles' order
    if (!row.assets.count(s.name)) continue;
    if (source.empty()) {
      source = s.name;
      continue;
    }
    VerifyPair pair{row.locator_id, source, s.name};
    VerifyResult result = verifier_->observe(pair, fingerprint(row, source, s.name));
    json checks = json::array();
    for (const auto& c : result.checks)
      checks.push_back({{"item", c.item},
                        {"same", c.same},
                        {"no_answer", c.inconclusive},
                        {"detail", c.detail}});
    out.push_back({{"from", source},
                   {"to", s.name},
                   {"state", to_string(result.state)},
                   {"detail", result.detail},
                   {"finished_ms", result.finished_ms},
                   {"took_ms", result.took_ms},
                   {"checks", std::move(checks)}});
    if (result.state == VerifyState::different && row.replication != Replication::differs) {
      row.replication = Replication::differs;
      row.detail = source + " and " + s.name + " differ: " + result.detail;
    }
  }
  return out;
}

json DashboardApi::assets() const {
  if (!poller_)
    return {{"profiles", false},
            {"viewer_url", viewer_url_},
            {"datacenters", json::array()},
            {"rows", json::array()},
            {"jobs", json::array()}};
  auto snapshots = poller_->snapshots();
  json datacenters = json::array(), rows = json::array(), jobs = json::array();
  for (size_t i = 0; i < snapshots.size(); ++i) {
    const auto& s = snapshots[i];
    const auto& profile = poller_->profiles()[i];
    datacenters.push_back({{"name", s.name},
                           {"media", to_json(s.media)},
                           {"storage", to_json(s.storage)},
                           {"polled", s.polled},
                           {"fetched_ms", s.fetched_ms},
                           {"streaming_url", profile.streaming_url}});
    for (const auto& job : s.jobs) {
      json j = to_json(job);
      j["datacenter"] = s.name;
      jobs.push_back(std::move(j));
    }
  }
  for (auto& row : asset_rows(snapshots)) {
    json verify = verdicts(row, snapshots);
    json assets = json::object();
    std::string name;
    for (const auto& [dc, asset] : row.assets) {
      assets[dc] = to_json(asset);
      if (name.empty()) name = asset.name;
    }
    rows.push_back({{"name", name},
                    {"locator_id", row.locator_id},
                    {"replication", to_string(row.replication)},
                    {"detail", row.detail},
                    {"verify", std::move(verify)},
                    {"assets", std::move(assets)}});
  }
  return {{"profiles", true},
          {"viewer_url", viewer_url_},
          {"datacenters", std::move(datacenters)},
          {"rows", std::move(rows)},
          {"jobs", std::move(jobs)}};
}

}  // namespace twin::dashboard
