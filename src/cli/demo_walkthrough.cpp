#include "cli/demo_walkthrough.h"

#include <chrono>
#include <filesystem>
#include <thread>

#include "cli/progress_bar.h"
#include "client/blob_container.h"
#include "client/publishing.h"

namespace twin::cli {
namespace {

constexpr const char* kPreset = "H264 Multiple Bitrate 720p";

}  // namespace

DemoWalkthrough::DemoWalkthrough(DemoCluster& cluster, std::ostream& out,
                                 const std::atomic<bool>& interrupted)
    : cluster_(cluster),
      out_(out),
      interrupted_(interrupted),
      profile_a_(cluster.a().profile()),
      profile_b_(cluster.b().profile()),
      a_(profile_a_),
      b_(profile_b_) {}

std::string DemoWalkthrough::upload(const std::string& mezzanine) {
  std::string name = std::filesystem::path(mezzanine).filename();
  uint64_t size = std::filesystem::file_size(mezzanine);
  out_ << "upload: " << name << " (" << human_bytes(size) << ") into a new asset in A" << std::endl;
  a_.connect();
  client::UploadTarget target = client::begin_upload(a_, name);
  ProgressLine line("upload");
  client::BlobContainer::with_sas(target.container_sas_url)
      .upload(name, mezzanine, "video/mp4",
              [&](uint64_t sent) { line.update(double(sent) / size, human_bytes(sent)); });
  line.finish();
  client::finish_upload(a_, target);
  out_ << "  asset " << target.asset_id << std::endl;
  return target.asset_id;
}

std::string DemoWalkthrough::encode(const std::string& input_id) {
  out_ << "encode: a job with \"" << kPreset << "\" on Media Encoder Standard" << std::endl;
  std::string id = client::start_encode(a_, input_id, kPreset, "demo encode");
  ProgressLine line("encode");
  auto started = std::chrono::steady_clock::now();
  for (;;) {
    client::JobProgress p = client::job_progress(a_, id);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    line.update(p.progress / 100, std::to_string(int(seconds)) + " s");
    if (p.finished()) break;
    if (p.failed()) {
      line.finish();
      throw std::runtime_error("the encode job " + id +
                               (p.state == 4 ? " failed: " : " was canceled: ") + p.error);
    }
    for (int i = 0; i < 10 && !interrupted_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (interrupted_) {
      line.finish();
      throw Interrupted();
    }
  }
  line.finish();
  return client::job_output(a_, id);
}

PublishedAsset DemoWalkthrough::publish(const std::string& input_id, const std::string& output_id) {
  client::Publication pub = client::publish_asset(a_, output_id);
  out_ << "publish: " << pub.files << " files; an origin locator in A for " << pub.ism << std::endl;
  out_ << "  locator " << pub.locator_id << std::endl;
  return PublishedAsset{input_id, output_id, pub.locator_id, pub.ism};
}

PublishedAsset DemoWalkthrough::upload_encode_publish(const std::string& mezzanine) {
  std::string input = upload(mezzanine);
  return publish(input, encode(input));
}

client::ReplicationResult DemoWalkthrough::replicate(const PublishedAsset& asset) {
  out_ << "replicate: into B under the same locator Id" << std::endl;
  b_.connect();
  CopyProgressBar bar;
  client::ReplicatorEvents events{[&](const std::string& line) {
                                    bar.finish();
                                    out_ << "  " << line << std::endl;
                                  },
                                  [&](const std::vector<client::BlobCopy>& c) { bar.update(c); }};
  client::Replicator replicator({profile_a_, a_}, {profile_b_, b_}, events);
  client::ReplicationResult r = replicator.replicate_locator(asset.locator_id);
  bar.finish();
  out_ << "  same-Id locator " << r.locator_id << " in B on asset " << r.target_asset << " ("
       << r.copied.size() << " blobs, " << human_bytes(r.bytes_copied) << " copied)" << std::endl;
  return r;
}

}  // namespace twin::cli
