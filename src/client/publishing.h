// The walkthrough's publishing steps against one data center's media API, shared by the demo and
// the dashboard's upload: an asset with a write SAS locator to upload into, CreateFileInfos once
// the bytes are there, a "Media Encoder Standard" job with a preset, its progress, and an origin
// locator on the output with its .ism as the primary file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "client/media_client.h"

namespace twin::client {

// Media Encoder Standard's processor Id in Media Services v2.
inline constexpr const char* kEncoderProcessorId =
    "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56";

struct UploadTarget {
  std::string asset_id, policy_id, locator_id;
  std::string container_sas_url;  // "http://…/asset-<guid>?sv=…": PUT blobs under it
};

// A new asset named `name` and a write SAS locator on it, valid for `minutes`.
UploadTarget begin_upload(MediaClient& media, const std::string& name, int minutes = 60);
// CreateFileInfos for what was uploaded, then the SAS locator and its policy are deleted.
void finish_upload(MediaClient& media, const UploadTarget& target);

// Starts an encode of the asset with the preset; returns the job's Id.
std::string start_encode(MediaClient& media, const std::string& input_asset_id,
                         const std::string& preset, const std::string& job_name);

struct JobProgress {
  int state = 0;        // JobState: 3 finished, 4 error, 5 canceled
  double progress = 0;  // the first task's, 0..100
  std::string error;    // the task's ErrorDetails when it failed
  bool finished() const { return state == 3; }
  bool failed() const { return state == 4 || state == 5; }
};
JobProgress job_progress(MediaClient& media, const std::string& job_id);
// The job's first output asset.
std::string job_output(MediaClient& media, const std::string& job_id);

struct Publication {
  std::string locator_id, ism;
  size_t files = 0;
};
// An origin locator (read policy of `days`) on the asset, its .ism made the primary file.
Publication publish_asset(MediaClient& media, const std::string& asset_id, int days = 30);

}  // namespace twin::client
