#include "dashboard/media_snapshot.h"

namespace twin::dashboard {

std::string to_string(JobState state) {
  switch (state) {
    case JobState::queued:
      return "Queued";
    case JobState::scheduled:
      return "Scheduled";
    case JobState::processing:
      return "Processing";
    case JobState::finished:
      return "Finished";
    case JobState::error:
      return "Error";
    case JobState::canceled:
      return "Canceled";
    case JobState::canceling:
      return "Canceling";
  }
  return "Unknown";
}

JobState job_state_from(int value) {
  if (value < 0 || value > int(JobState::canceling)) return JobState::error;
  return JobState(value);
}

bool final_state(JobState state) {
  return state == JobState::finished || state == JobState::error || state == JobState::canceled;
}

int64_t AssetView::size() const {
  int64_t total = 0;
  for (const auto& f : files) total += f.size;
  return total;
}

std::string AssetView::manifest() const {
  for (const auto& f : files)
    if (f.primary && f.name.ends_with(".ism")) return f.name;
  for (const auto& f : files)
    if (f.name.ends_with(".ism")) return f.name;
  return {};
}

nlohmann::json to_json(const AssetView& asset) {
  nlohmann::json files = nlohmann::json::array(), locators = nlohmann::json::array();
  for (const auto& f : asset.files)
    files.push_back({{"name", f.name}, {"size", f.size}, {"primary", f.primary}});
  for (const auto& l : asset.locators)
    locators.push_back({{"id", l.id},
                        {"type", l.type == 2 ? "origin" : "sas"},
                        {"path", l.path},
                        {"expiry_ms", l.expiry_ms}});
  static const char* states[] = {"Initialized", "Published", "Deleted"};
  return {{"id", asset.id},
          {"name", asset.name},
          {"state", asset.state >= 0 && asset.state <= 2 ? states[asset.state] : "Unknown"},
          {"created_ms", asset.created_ms ? nlohmann::json(*asset.created_ms) : nullptr},
          {"size", asset.size()},
          {"manifest", asset.manifest()},
          {"files", files},
          {"locators", locators}};
}

nlohmann::json to_json(const JobView& job) {
  return {{"id", job.id},
          {"name", job.name},
          {"state", to_string(job.state)},
          {"priority", job.priority},
          {"progress", job.progress},
          {"inputs", job.inputs},
          {"outputs", job.outputs},
          {"created_ms", job.created_ms ? nlohmann::json(*job.created_ms) : nullptr},
          {"end_ms", job.end_ms ? nlohmann::json(*job.end_ms) : nullptr}};
}

nlohmann::json to_json(const ServiceCheck& check) {
  return {{"reachable", check.reachable}, {"detail", check.detail}};
}

}  // namespace twin::dashboard
