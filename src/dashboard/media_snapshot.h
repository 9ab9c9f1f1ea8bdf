// What the dashboard knows of one data center's media API: its assets (files, size, locators)
// and jobs (state, progress, inputs and outputs), as typed views read from the verbose OData
// JSON at the boundary, plus whether its media API and storage answered. JSON for the page
// comes from to_json.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace twin::dashboard {

enum class JobState { queued, scheduled, processing, finished, error, canceled, canceling };
std::string to_string(JobState state);  // "Processing"
JobState job_state_from(int value);     // Media Services' JobState numbers
bool final_state(JobState state);

struct FileView {
  std::string name;
  int64_t size = 0;
  bool primary = false;
};

struct LocatorView {
  std::string id, path;
  int type = 0;  // 1 SAS, 2 origin
  int64_t expiry_ms = 0;
};

struct AssetView {
  std::string id, name;
  int state = 0;  // 0 Initialized, 1 Published, 2 Deleted
  std::optional<int64_t> created_ms;
  std::vector<FileView> files;
  std::vector<LocatorView> locators;
  int64_t size() const;
  // The primary .ism, or an empty name.
  std::string manifest() const;
};

struct JobView {
  std::string id, name;
  JobState state = JobState::queued;
  int priority = 0;
  double progress = 0;                       // 0..100, the mean of its tasks'
  std::vector<std::string> inputs, outputs;  // asset ids
  std::optional<int64_t> created_ms, end_ms;
};

struct ServiceCheck {
  bool reachable = false;
  std::string detail;  // "200 in 3 ms", "connection refused"
};

struct DataCenterSnapshot {
  std::string name;
  ServiceCheck media, storage;
  bool polled = false;            // at least one poll finished (either way)
  int64_t fetched_ms = 0;         // wall clock of the last complete read of the media API
  std::vector<AssetView> assets;  // as of fetched_ms
  std::vector<JobView> jobs;
};

nlohmann::json to_json(const AssetView& asset);
nlohmann::json to_json(const JobView& job);
nlohmann::json to_json(const ServiceCheck& check);

}  // namespace twin::dashboard
