// Runs encoding jobs on worker threads. Jobs live in SQLite, so a restart re-queues the jobs a
// previous run was processing. A job's task downloads the input asset's primary file from
// storage, encodes it with the task's preset, uploads the outputs into the output asset and
// registers them as Files; a failure ends the job in Error with ErrorDetails, never a crash.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "media/api.h"

namespace twin::media {

class JobRunner {
 public:
  JobRunner(EntityStore& store, const MediaSettings& settings);
  ~JobRunner();

  void start();
  void stop();
  void wake();
  // Cancels a queued or running job (the encode stops within a second). Throws MediaError 400
  // when the job has already ended.
  void cancel(const std::string& account, const std::string& job_id);

 private:
  void worker();
  std::optional<StoredEntity> claim_next();
  void run(const std::string& account, const std::string& job_id);
  void run_task(Api& api, Json& task, const std::atomic<bool>& cancel);
  void finish(const std::string& account, const std::string& job_id, int state,
              const std::string& code, const std::string& message);
  const MediaAccount& account(const std::string& name) const;

  EntityStore& store_;
  const MediaSettings& settings_;
  std::mutex mutex_;  // job and task state transitions
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> running_;  // job id → cancel flag
  std::vector<std::thread> workers_;
};

}  // namespace twin::media
