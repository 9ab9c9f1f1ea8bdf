#include "media/job_runner.h"

#include <algorithm>
#include <filesystem>

#include "common/log.h"
#include "encode/preset.h"
#include "encode/transcoder.h"
#include "media/errors.h"

namespace twin::media {
namespace fs = std::filesystem;
namespace {

bool active(int state) {
  return state == job_state::queued || state == job_state::scheduled ||
         state == job_state::processing || state == job_state::canceling;
}

// The input asset's primary file: the one marked IsPrimary, else its only file.
Json primary_file(Api& api, const std::string& asset_id) {
  auto files = api.store.children(api.account.name, "Files", asset_id);
  for (const auto& f : files)
    if (f.value("IsPrimary", false)) return f;
  if (files.size() == 1) return files.front();
  throw MediaError(400, "UserInput",
                   "The input asset has " + std::to_string(files.size()) +
                       " files and none is marked IsPrimary: no primary file can be determined");
}

}  // namespace

JobRunner::JobRunner(EntityStore& store, const MediaSettings& settings)
    : store_(store), settings_(settings) {}

JobRunner::~JobRunner() {
  stop();
}

const MediaAccount& JobRunner::account(const std::string& name) const {
  for (const auto& a : settings_.accounts)
    if (a.name == name) return a;
  throw std::runtime_error("job of unknown media account " + name);
}

void JobRunner::start() {
  // A job that was running when the process stopped starts again from the beginning.
  for (auto& [acct, job] : store_.all_accounts("Jobs")) {
    int state = job["State"];
    if (state == job_state::scheduled || state == job_state::processing) {
      job["State"] = job_state::queued;
      store_.update(acct, "Jobs", job);
      log::info("job requeued after restart", {{"job", job["Id"].get<std::string>()}});
    } else if (state == job_state::canceling) {
      job["State"] = job_state::canceled;
      store_.update(acct, "Jobs", job);
    }
  }
  for (unsigned i = 0; i < std::max(1u, settings_.job_workers); ++i)
    workers_.emplace_back([this] { worker(); });
}

void JobRunner::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    for (auto& [id, flag] : running_) flag->store(true);  // jobs resume at the next start
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
  workers_.clear();
}

void JobRunner::wake() {
  wake_.notify_all();
}

std::optional<StoredEntity> JobRunner::claim_next() {
  std::optional<StoredEntity> best;
  for (auto& candidate : store_.all_accounts("Jobs")) {
    if (candidate.body["State"] != job_state::queued) continue;
    if (!best || candidate.body["Priority"].get<int>() > best->body["Priority"].get<int>())
      best = std::move(candidate);
  }
  if (!best) return std::nullopt;
  best->body["State"] = job_state::scheduled;
  store_.update(best->account, "Jobs", best->body);
  return best;
}

void JobRunner::worker() {
  while (true) {
    std::optional<StoredEntity> job;
    {
      std::unique_lock lock(mutex_);
      if (stopping_) return;
      job = claim_next();
      if (!job) {
        wake_.wait_for(lock, std::chrono::seconds(1));
        continue;
      }
      running_[job->body["Id"]] = std::make_shared<std::atomic<bool>>(false);
    }
    run(job->account, job->body["Id"]);
  }
}

void JobRunner::cancel(const std::string& acct, const std::string& job_id) {
  std::lock_guard lock(mutex_);
  auto job = store_.get(acct, "Jobs", job_id);
  if (!job) throw not_found("No Job with Id '" + job_id + "' exists");
  int state = (*job)["State"];
  if (!active(state) || state == job_state::canceling)
    throw bad_request("The job cannot be canceled in state " + std::to_string(state));
  if (auto it = running_.find(job_id); it != running_.end()) {
    it->second->store(true);
    (*job)["State"] = job_state::canceling;
  } else {
    (*job)["State"] = job_state::canceled;
    (*job)["EndTime"] = now_ms();
    for (auto task : store_.children(acct, "Tasks", job_id)) {
      task["State"] = job_state::canceled;
      store_.update(acct, "Tasks", task);
    }
  }
  (*job)["LastModified"] = now_ms();
  store_.update(acct, "Jobs", *job);
}

void JobRunner::run(const std::string& acct, const std::string& job_id) {
  std::shared_ptr<std::atomic<bool>> cancel;
  {
    std::lock_guard lock(mutex_);
    cancel = running_[job_id];
    auto job = store_.get(acct, "Jobs", job_id);
    if (!job) return;
    (*job)["State"] = job_state::processing;
    (*job)["StartTime"] = now_ms();
    store_.update(acct, "Jobs", *job);
  }
  log::info("job started", {{"job", job_id}, {"account", acct}});
  Api api{store_, settings_, account(acct), {}, this};
  auto tasks = store_.children(acct, "Tasks", job_id);
  try {
    for (auto& task : tasks) run_task(api, task, *cancel);
    finish(acct, job_id, job_state::finished, "", "");
  } catch (const std::exception& e) {
    bool cancelled = cancel->load();
    bool stopping;
    {
      std::lock_guard lock(mutex_);
      stopping = stopping_;
    }
    if (cancelled && stopping) {  // the process is stopping: the job runs again at the next start
      std::lock_guard lock(mutex_);
      running_.erase(job_id);
      return;
    }
    std::string code = dynamic_cast<const encode::EncodeError*>(&e) ||
                               dynamic_cast<const encode::PresetError*>(&e) ||
                               dynamic_cast<const MediaError*>(&e)
                           ? "UserInput"
                           : "ServiceError";
    finish(acct, job_id, cancelled ? job_state::canceled : job_state::error, code, e.what());
  }
}

void JobRunner::run_task(Api& api, Json& task, const std::atomic<bool>& cancel) {
  const std::string acct = api.account.name;
  auto save = [&] {
    std::lock_guard lock(mutex_);
    store_.update(acct, "Tasks", task);
  };
  task["State"] = job_state::processing;
  task["StartTime"] = now_ms();
  save();
  std::string input_asset = task["_inputs"][0], output_asset = task["_outputs"][0];
  Json input = primary_file(api, input_asset);
  Json in_asset = require(api, "Assets", input_asset),
       out_asset = require(api, "Assets", output_asset);
  fs::path dir = fs::path(settings_.work_dir) / guid_of(task["Id"]);
  fs::remove_all(dir);
  fs::create_directories(dir / "out");
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{dir};
  std::string name = input["Name"];
  api.storage(in_asset["StorageAccountName"]).download(container_of(input_asset), name, dir / name);

  encode::EncodeRequest req;
  req.input_path = dir / name;
  req.output_dir = dir / "out";
  req.preset = task_preset(task["Configuration"]);
  req.x264_preset = settings_.x264_preset;
  req.x264_threads = static_cast<int>(settings_.x264_threads);
  req.cancel = &cancel;
  req.on_progress = [&](int percent) {
    task["Progress"] = double(percent);
    save();
  };
  encode::EncodeResult result = encode::encode_file(req);

  auto storage = api.storage(out_asset["StorageAccountName"]);
  std::vector<std::string> names{result.ism_name, result.ismc_name};
  for (const auto& f : result.files) names.push_back(f.name);
  // A job re-run after a restart may find files it registered before: update, never duplicate.
  auto registered = store_.children(acct, "Files", output_asset);
  for (const auto& n : names) {
    storage.upload(container_of(output_asset), n, dir / "out" / n, mime_type_for(n));
    register_blob(api, registered, output_asset, n, int64_t(fs::file_size(dir / "out" / n)), false);
  }
  task["State"] = job_state::finished;
  task["Progress"] = 100.0;
  task["EndTime"] = now_ms();
  task["RunningDuration"] =
      (task["EndTime"].get<int64_t>() - task["StartTime"].get<int64_t>()) / 1000.0;
  save();
}

void JobRunner::finish(const std::string& acct, const std::string& job_id, int state,
                       const std::string& code, const std::string& message) {
  std::lock_guard lock(mutex_);
  running_.erase(job_id);
  auto job = store_.get(acct, "Jobs", job_id);
  if (!job) return;
  int64_t now = now_ms();
  for (auto task : store_.children(acct, "Tasks", job_id)) {
    if (task["State"] == job_state::finished) continue;
    task["State"] = state;
    task["EndTime"] = now;
    if (task["StartTime"].is_number())
      task["RunningDuration"] = (now - task["StartTime"].get<int64_t>()) / 1000.0;
    if (state == job_state::error)
      task["ErrorDetails"] = Json::array({{{"Code", code}, {"Message", message}}});
    store_.update(acct, "Tasks", task);
  }
  (*job)["State"] = state;
  (*job)["EndTime"] = now;
  (*job)["LastModified"] = now;
  if ((*job)["StartTime"].is_number())
    (*job)["RunningDuration"] = (now - (*job)["StartTime"].get<int64_t>()) / 1000.0;
  store_.update(acct, "Jobs", *job);
  if (state == job_state::finished)
    log::info("job finished", {{"job", job_id}});
  else
    log::warn("job ended", {{"job", job_id}, {"state", std::to_string(state)}, {"cause", message}});
}

}  // namespace twin::media
