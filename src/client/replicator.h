// The walkthrough's replication of a published asset from data center A to data center B, over
// the public REST surfaces only: a read SAS locator on the source, an empty target asset named
// after the source container, a write SAS locator on it, server-side Copy Blob of every file,
// CreateFileInfos and the primary file, then an origin locator in B with A's Id and A's times.
// The temporary SAS locators and policies are deleted, on failure as well.
//
// Idempotent and resumable: the target asset is found again by name, blobs whose size and MD5
// already match are not copied again, copies still pending from an interrupted run are polled,
// and a run that finds everything in place changes nothing ("already replicated").
#pragma once

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "client/copy_batch.h"
#include "client/media_client.h"
#include "client/media_entities.h"
#include "client/profiles.h"

namespace twin::client {

// What replication will not do, with the reason; nothing was registered in B.
struct ReplicationRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One side of the replication: its media API and its storage account.
struct DataCenter {
  const DataCenterProfile& profile;
  MediaClient& media;
  BlobContainer container(const std::string& name) const;
};

struct ReplicationResult {
  std::string locator_id, source_asset, target_asset, manifest;  // manifest: "clip.ism"
  std::string url_a, url_b;  // the Smooth manifest URL in each data center
  bool already_replicated = false;
  std::vector<std::string> copied, kept;  // blob names
  uint64_t bytes_copied = 0;
  double copy_seconds = 0;  // from the first Copy Blob to the last copy seen done
};

struct ReplicatorEvents {
  std::function<void(const std::string&)> step;  // a line per step
  CopyBatch::Progress copy_progress;             // during the copies
};

class Replicator {
 public:
  Replicator(DataCenter a, DataCenter b, ReplicatorEvents events, CopyBatchOptions copy = {});

  // Replicates the asset an origin locator of A publishes.
  ReplicationResult replicate_locator(const std::string& locator_id);
  // Every live origin locator of the asset (refused when it has none).
  std::vector<ReplicationResult> replicate_asset(const std::string& asset_id);

 private:
  struct Source;
  struct Target;
  Source read_source(const Locator& locator);
  Target find_target(const Source& source);
  bool in_place(const Source& source, const Target& target);
  void copy_files(const Source& source, Target& target, ReplicationResult& result);
  void register_files(const Source& source, const Target& target);
  void publish(const Source& source, Target& target);
  void refuse_encrypted(const Asset& asset) const;
  void say(const std::string& line) const;

  std::string source_md5(const BlobContainer& container, const std::string& blob,
                         const BlobProperties& properties);

  DataCenter a_, b_;
  ReplicatorEvents events_;
  // MD5s computed by reading a source blob back (the service keeps none for block lists), by
  // URL and ETag, so that --watch reads each such blob once, not once per pass.
  std::map<std::string, std::pair<std::string, std::string>> computed_md5_;
  CopyBatchOptions copy_;
};

// The live (unexpired) origin locators of a data center, or of one of its assets.
std::vector<Locator> live_origin_locators(MediaClient& media);
std::vector<Locator> live_origin_locators(MediaClient& media, const std::string& asset_id);
// The manifest URL of a locator: its Path, or streaming_url in its place when set.
std::string manifest_url(const std::string& streaming_url, const Locator& locator,
                         const std::string& manifest);

// The temporary access policies' names start with this, so a later run can find and delete
// what an interrupted one left.
inline constexpr const char* kTemporaryPolicyPrefix = "twinorigin-replicate temporary ";
// The read policy of the origin locators replicate makes in B, so --watch knows which are its.
inline constexpr const char* kOriginPolicyName = "twinorigin-replicate origin";

}  // namespace twin::client
