#include "dashboard/upload_pipeline.h"

#include <thread>

#include "client/replicator.h"
#include "common/ids.h"
#include "common/log.h"

namespace twin::dashboard {
namespace {

using nlohmann::json;
constexpr size_t kCreate = 0, kUpload = 1, kEncode = 2, kPublish = 3, kFirstReplica = 4;

PipelineStep step_named(std::string name) {
  PipelineStep step;
  step.name = std::move(name);
  return step;
}

}  // namespace

std::string to_string(StepState state) {
  switch (state) {
    case StepState::pending:
      return "pending";
    case StepState::running:
      return "running";
    case StepState::done:
      return "done";
    case StepState::failed:
      return "failed";
  }
  return "pending";
}

UploadPipeline::UploadPipeline(std::vector<client::DataCenterProfile> profiles)
    : profiles_(std::move(profiles)) {}

UploadPipeline::~UploadPipeline() {
  for (auto& t : threads_) t.request_stop();
  threads_.clear();  // joins
}

const client::DataCenterProfile& UploadPipeline::profile(const std::string& name) const {
  for (const auto& p : profiles_)
    if (p.name == name) return p;
  throw UploadError(404, "No data center is named " + name + ".");
}

json UploadPipeline::to_json(const Task& task) const {
  json steps = json::array();
  for (const auto& s : task.steps)
    steps.push_back({{"name", s.name},
                     {"state", to_string(s.state)},
                     {"detail", s.detail},
                     {"progress", s.progress < 0 ? json(nullptr) : json(s.progress)}});
  return {{"id", task.id},
          {"datacenter", task.datacenter},
          {"file", task.file_name},
          {"asset_id", task.target.asset_id},
          {"upload_url", task.started ? json(nullptr) : json(task.target.container_sas_url)},
          {"job_id", task.job_id},
          {"locator_id", task.locator_id},
          {"manifest", task.ism},
          {"steps", steps}};
}

void UploadPipeline::set_step(Task& task, size_t index, StepState state, std::string detail,
                              double progress) {
  std::lock_guard lock(mutex_);
  auto& step = task.steps.at(index);
  if (step.state != state)
    log::info(
        "upload_step",
        {{"task", task.id}, {"step", step.name}, {"state", to_string(state)}, {"detail", detail}});
  step.state = state;
  step.detail = std::move(detail);
  step.progress = progress;
}

json UploadPipeline::begin(const std::string& datacenter, const std::string& file_name) {
  if (file_name.empty() || file_name.size() > 200 || file_name.find('/') != std::string::npos)
    throw UploadError(400, "The file name must be 1 to 200 characters without a slash.");
  const auto& p = profile(datacenter);
  auto task = std::make_shared<Task>();
  task->id = ids::new_guid();
  task->datacenter = datacenter;
  task->file_name = file_name;
  for (const char* name : {"create asset", "upload", "encode", "publish"})
    task->steps.push_back(step_named(name));
  for (const auto& other : profiles_) {
    if (other.name == datacenter) continue;
    task->replicas.push_back(other.name);
    task->steps.push_back(step_named("replicate to " + other.name));
  }
  client::MediaClient media(p, std::chrono::seconds(10));
  media.connect();
  task->target = client::begin_upload(media, file_name);
  task->steps[kCreate].state = StepState::done;
  task->steps[kCreate].detail = task->target.asset_id;
  task->steps[kUpload].state = StepState::running;
  task->steps[kUpload].detail = "from the page, through a SAS URL";
  log::info("upload_begun", {{"task", task->id},
                             {"datacenter", datacenter},
                             {"asset", task->target.asset_id},
                             {"file", file_name}});
  std::lock_guard lock(mutex_);
  tasks_[task->id] = task;
  return to_json(*task);
}

json UploadPipeline::uploaded(const std::string& task_id, const std::string& preset) {
  std::shared_ptr<Task> task;
  {
    std::lock_guard lock(mutex_);
    auto it = tasks_.find(task_id);
    if (it == tasks_.end()) throw UploadError(404, "No upload task " + task_id + ".");
    task = it->second;
    if (task->started) throw UploadError(409, "Upload task " + task_id + " already goes on.");
    task->started = true;
    task->preset = preset;
  }
  set_step(*task, kUpload, StepState::done, "the page put " + task->file_name);
  std::lock_guard lock(mutex_);
  threads_.emplace_back([this, task](std::stop_token stop) { run(task, stop); });
  return to_json(*task);
}

json UploadPipeline::status(const std::string& task_id) const {
  std::lock_guard lock(mutex_);
  auto it = tasks_.find(task_id);
  if (it == tasks_.end()) throw UploadError(404, "No upload task " + task_id + ".");
  return to_json(*it->second);
}

// Each step's failure ends the task with its cause on that step; what was made stays (an asset
// the page can see, a job the jobs panel shows), as the walkthrough's own calls would leave it.
void UploadPipeline::run(std::shared_ptr<Task> task, std::stop_token stop) {
  size_t step = kEncode;
  try {
    const auto& p = profile(task->datacenter);
    client::MediaClient media(p, std::chrono::seconds(30));
    media.connect();
    client::finish_upload(media, task->target);
    task->job_id = client::start_encode(media, task->target.asset_id, task->preset,
                                        "dashboard encode of " + task->file_name);
    set_step(*task, kEncode, StepState::running, task->preset, 0);
    for (;;) {
      auto progress = client::job_progress(media, task->job_id);
      if (progress.finished()) break;
      if (progress.failed()) throw std::runtime_error("the job failed: " + progress.error);
      set_step(*task, kEncode, StepState::running, task->preset, progress.progress);
      if (stop.stop_requested()) throw std::runtime_error("the front is stopping");
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    task->output_id = client::job_output(media, task->job_id);
    set_step(*task, kEncode, StepState::done, task->preset, 100);
    step = kPublish;
    set_step(*task, kPublish, StepState::running);
    auto publication = client::publish_asset(media, task->output_id);
    {
      std::lock_guard lock(mutex_);
      task->locator_id = publication.locator_id;
      task->ism = publication.ism;
    }
    set_step(*task, kPublish, StepState::done, publication.locator_id);
    for (step = kFirstReplica; step < task->steps.size(); ++step) {
      const auto& q = profile(task->replicas[step - kFirstReplica]);
      client::MediaClient other(q, std::chrono::seconds(30));
      other.connect();
      set_step(*task, step, StepState::running, "", 0);
      client::ReplicatorEvents events{{}, [&](const std::vector<client::BlobCopy>& copies) {
                                        uint64_t total = 0, done = 0;
                                        for (const auto& c : copies) {
                                          total += c.size;
                                          done += c.copied;
                                        }
                                        set_step(*task, step, StepState::running,
                                                 std::to_string(copies.size()) + " blobs",
                                                 total ? 100.0 * done / total : 0);
                                      }};
      client::Replicator replicator({p, media}, {q, other}, events);
      auto result = replicator.replicate_locator(task->locator_id);
      set_step(*task, step, StepState::done,
               std::to_string(result.copied.size()) + " blobs copied, same locator Id", 100);
    }
  } catch (const std::exception& e) {
    log::warn("upload_failed", {{"task", task->id}, {"cause", e.what()}});
    set_step(*task, step, StepState::failed, e.what());
  }
}

}  // namespace twin::dashboard
