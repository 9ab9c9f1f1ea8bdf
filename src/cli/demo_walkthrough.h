// The walkthrough the demo runs, through the public APIs only: upload the mezzanine into an
// asset of A through a write SAS locator, encode it with "H264 Multiple Bitrate 720p" (job
// progress shown), publish the output with an origin locator, then replicate it into B under
// the same locator Id. Each step prints what it does.
#pragma once

#include <atomic>
#include <ostream>
#include <stdexcept>
#include <string>

#include "cli/demo_cluster.h"
#include "client/media_client.h"
#include "client/replicator.h"

namespace twin::cli {

// Ctrl-C during a long step.
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

struct PublishedAsset {
  std::string input_id, output_id, locator_id, ism;
};

class DemoWalkthrough {
 public:
  // interrupted: set by SIGINT; the long steps then throw Interrupted.
  DemoWalkthrough(DemoCluster& cluster, std::ostream& out, const std::atomic<bool>& interrupted);
  PublishedAsset upload_encode_publish(const std::string& mezzanine);
  client::ReplicationResult replicate(const PublishedAsset& asset);

 private:
  std::string upload(const std::string& mezzanine);
  std::string encode(const std::string& input_id);
  PublishedAsset publish(const std::string& input_id, const std::string& output_id);

  DemoCluster& cluster_;
  std::ostream& out_;
  const std::atomic<bool>& interrupted_;
  client::DataCenterProfile profile_a_, profile_b_;
  client::MediaClient a_, b_;
};

}  // namespace twin::cli
