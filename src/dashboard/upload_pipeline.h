// The dashboard's upload, the walkthrough from a page: the front creates an asset with a write
// SAS locator in the chosen data center (begin); the page puts the file straight into storage
// through that SAS URL, with its own progress bar (the storage service's CORS rules allow the
// front's page); then the front runs the rest in the background (uploaded): CreateFileInfos, an
// encode with the chosen preset (its progress), an origin locator on the output, and the
// replication into every other data center under the same locator Id (its copy progress). The
// page polls each task's steps (status).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "client/profiles.h"
#include "client/publishing.h"

namespace twin::dashboard {

enum class StepState { pending, running, done, failed };

struct PipelineStep {
  std::string name;  // "create asset", "upload", "encode", "publish", "replicate to B"
  StepState state = StepState::pending;
  std::string detail;
  double progress = -1;  // 0..100 when the step measures it
};

struct UploadError : std::runtime_error {
  UploadError(unsigned status, const std::string& what)
      : std::runtime_error(what), status(status) {}
  unsigned status;
};

class UploadPipeline {
 public:
  explicit UploadPipeline(std::vector<client::DataCenterProfile> profiles);
  ~UploadPipeline();  // stops the tasks still running (between two calls)

  // Blocking (media API calls): run off the I/O threads. Throw UploadError (400, 404, 409).
  nlohmann::json begin(const std::string& datacenter, const std::string& file_name);
  nlohmann::json uploaded(const std::string& task_id, const std::string& preset);
  nlohmann::json status(const std::string& task_id) const;

 private:
  struct Task {
    std::string id, datacenter, file_name, preset;
    client::UploadTarget target;
    std::vector<PipelineStep> steps;
    std::vector<std::string> replicas;  // the other data centers, in the steps' order
    std::string job_id, output_id, locator_id, ism;
    bool started = false;
  };
  const client::DataCenterProfile& profile(const std::string& name) const;
  void run(std::shared_ptr<Task> task, std::stop_token stop);
  void set_step(Task& task, size_t index, StepState state, std::string detail = {},
                double progress = -1);
  nlohmann::json to_json(const Task& task) const;

  std::vector<client::DataCenterProfile> profiles_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Task>> tasks_;
  std::vector<std::jthread> threads_;
};

std::string to_string(StepState state);  // "pending", "running", "done", "failed"

}  // namespace twin::dashboard
