#include "dashboard/media_poller.h"

#include "client/media_client.h"
#include "client/media_entities.h"
#include "common/log.h"
#include "common/strings.h"

namespace twin::dashboard {
namespace {

using Clock = std::chrono::steady_clock;
using client::Json;

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// Any HTTP answer from the service's /health counts as reachable (a storage service that is not
// ours may answer 400 there); no answer within the timeout does not.
ServiceCheck check_service(const std::string& url, std::chrono::milliseconds timeout) {
  auto started = Clock::now();
  try {
    http::Client http(timeout);
    auto res = http.send({"GET", str::url_origin(url) + "/health", {}, {}}, 64 << 10);
    return {true, "HTTP " + std::to_string(res.status) + " in " +
                      std::to_string(ms_since(started)) + " ms"};
  } catch (const std::exception& e) {
    return {false, e.what()};
  }
}

int integer_of(const Json& j, const char* key) {
  if (!j.contains(key)) return 0;
  const Json& v = j[key];
  if (v.is_number_integer()) return v.get<int>();
  if (v.is_string()) return std::atoi(v.get<std::string>().c_str());
  return 0;
}

std::vector<std::string> ids_of(const Json& feed) {
  std::vector<std::string> ids;
  for (const auto& e : feed)
    if (e.contains("Id") && e["Id"].is_string()) ids.push_back(e["Id"]);
  return ids;
}

AssetView read_asset(client::MediaClient& media, const Json& entity) {
  client::Asset asset = client::asset_from(entity);
  AssetView view;
  view.id = asset.id;
  view.name = asset.name;
  view.state = integer_of(entity, "State");
  if (entity.contains("Created")) view.created_ms = client::odata_date_ms(entity["Created"]);
  std::string key = client::entity_key(asset.id);
  for (const auto& f : client::files_from(media.get("Assets" + key + "/Files")))
    view.files.push_back({f.name, f.size, f.primary});
  for (const auto& l : client::locators_from(media.get("Assets" + key + "/Locators")))
    view.locators.push_back({l.id, l.path, l.type, l.expiry_ms});
  return view;
}

JobView read_job(client::MediaClient& media, const Json& entity) {
  JobView job;
  job.id = entity.value("Id", "");
  job.name = entity.value("Name", "");
  job.state = job_state_from(integer_of(entity, "State"));
  job.priority = integer_of(entity, "Priority");
  if (entity.contains("Created")) job.created_ms = client::odata_date_ms(entity["Created"]);
  if (entity.contains("EndTime")) job.end_ms = client::odata_date_ms(entity["EndTime"]);
  std::string key = client::entity_key(job.id);
  Json tasks = media.get("Jobs" + key + "/Tasks");
  double sum = 0;
  for (const auto& t : tasks)
    if (t.contains("Progress") && t["Progress"].is_number()) sum += t["Progress"].get<double>();
  job.progress = tasks.empty() ? 0 : sum / double(tasks.size());
  job.inputs = ids_of(media.get("Jobs" + key + "/InputMediaAssets"));
  job.outputs = ids_of(media.get("Jobs" + key + "/OutputMediaAssets"));
  return job;
}

}  // namespace

MediaPoller::MediaPoller(std::vector<client::DataCenterProfile> profiles,
                         std::chrono::milliseconds interval, std::chrono::milliseconds timeout)
    : profiles_(std::move(profiles)), interval_(interval), timeout_(timeout) {
  for (const auto& p : profiles_) {
    DataCenterSnapshot s;
    s.name = p.name;
    s.media.detail = s.storage.detail = "not read yet";
    snapshots_.push_back(std::move(s));
  }
}

MediaPoller::~MediaPoller() {
  stop();
}

void MediaPoller::start() {
  for (size_t i = 0; i < profiles_.size(); ++i)
    threads_.emplace_back([this, i](std::stop_token stop) { run(i, stop); });
}

void MediaPoller::stop() {
  for (auto& t : threads_) t.request_stop();
  wake_.notify_all();
  threads_.clear();  // joins
}

void MediaPoller::poke() {
  {
    std::lock_guard lock(mutex_);
    ++pokes_;
  }
  wake_.notify_all();
}

std::vector<DataCenterSnapshot> MediaPoller::snapshots() const {
  std::lock_guard lock(mutex_);
  return snapshots_;
}

void MediaPoller::run(size_t index, std::stop_token stop) {
  while (!stop.stop_requested()) {
    DataCenterSnapshot previous;
    uint64_t pokes_seen;
    {
      std::lock_guard lock(mutex_);
      previous = snapshots_[index];
      pokes_seen = pokes_;
    }
    DataCenterSnapshot next = poll(profiles_[index], std::move(previous));
    std::unique_lock lock(mutex_);
    if (next.media.reachable != snapshots_[index].media.reachable || !snapshots_[index].polled)
      log::info(next.media.reachable ? "dashboard_media_reachable" : "dashboard_media_unreachable",
                {{"datacenter", next.name}, {"detail", next.media.detail}});
    snapshots_[index] = std::move(next);
    wake_.wait_for(lock, stop, interval_, [&] { return pokes_ != pokes_seen; });
  }
}

DataCenterSnapshot MediaPoller::poll(const client::DataCenterProfile& profile,
                                     DataCenterSnapshot snapshot) {
  snapshot.polled = true;
  snapshot.storage = check_service(profile.storage_url, timeout_);
  auto started = Clock::now();
  try {
    client::MediaClient media(profile, timeout_);
    media.connect();
    std::vector<AssetView> assets;
    for (const auto& entity : media.get("Assets")) assets.push_back(read_asset(media, entity));
    std::vector<JobView> jobs;
    for (const auto& entity : media.get("Jobs")) {
      std::string cache_key = profile.name + "/" + entity.value("Id", "");
      {
        std::lock_guard lock(mutex_);
        auto known = finished_jobs_.find(cache_key);
        if (known != finished_jobs_.end()) {
          jobs.push_back(known->second);
          continue;
        }
      }
      jobs.push_back(read_job(media, entity));
      if (final_state(jobs.back().state)) {
        std::lock_guard lock(mutex_);
        finished_jobs_[cache_key] = jobs.back();
      }
    }
    snapshot.assets = std::move(assets);
    snapshot.jobs = std::move(jobs);
    snapshot.fetched_ms = wall_ms();
    snapshot.media = {true, "read in " + std::to_string(ms_since(started)) + " ms"};
  } catch (const std::exception& e) {
    snapshot.media = {false, e.what()};  // the last good assets and jobs stay, with their time
  }
  return snapshot;
}

}  // namespace twin::dashboard
