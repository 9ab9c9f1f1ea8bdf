#include "cli/demo_walkthrough.h"

#include <chrono>
#include <filesystem>
#include <thread>

#include "cli/progress_bar.h"
#include "client/blob_container.h"
#include "client/media_entities.h"
#include "common/strings.h"

namespace twin::cli {
namespace {

using client::entity_key;
using client::Json;

constexpr const char* kEncoderId = "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56";
constexpr const char* kPreset = "H264 Multiple Bitrate 720p";

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

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
  Json asset = a_.create("Assets", {{"Name", name}, {"Options", 0}});
  std::string id = asset["Id"];
  Json policy = a_.create(
      "AccessPolicies",
      {{"Name", "upload"}, {"DurationInMinutes", 60}, {"Permissions", client::kPermissionWrite}});
  Json sas = a_.create("Locators", {{"AccessPolicyId", policy["Id"]},
                                    {"AssetId", id},
                                    {"StartTime", client::odata_date(now_ms() - 300000)},
                                    {"Type", client::kSasLocator}});
  ProgressLine line("upload");
  client::BlobContainer::with_sas(sas["Path"])
      .upload(name, mezzanine, "video/mp4",
              [&](uint64_t sent) { line.update(double(sent) / size, human_bytes(sent)); });
  line.finish();
  auto r = a_.call("GET", "CreateFileInfos?assetid='" + str::percent_encode(id) + "'");
  if (r.status != 204) throw client::MediaCallError(r.status, "CreateFileInfos: " + r.text);
  a_.remove("Locators" + entity_key(sas["Id"]));
  a_.remove("AccessPolicies" + entity_key(policy["Id"]));
  out_ << "  asset " << id << std::endl;
  return id;
}

std::string DemoWalkthrough::encode(const std::string& input_id) {
  out_ << "encode: a job with \"" << kPreset << "\" on Media Encoder Standard" << std::endl;
  Json job = a_.create(
      "Jobs",
      {{"Name", "demo encode"},
       {"InputMediaAssets",
        Json::array(
            {{{"__metadata", {{"uri", a_.api_root() + "Assets" + entity_key(input_id)}}}}})},
       {"Tasks", Json::array({{{"Configuration", kPreset},
                               {"MediaProcessorId", kEncoderId},
                               {"TaskBody",
                                "<?xml version=\"1.0\" encoding=\"utf-8\"?><taskBody><inputAsset>"
                                "JobInputAsset(0)</inputAsset><outputAsset "
                                "assetCreationOptions=\"0\">JobOutputAsset(0)</outputAsset>"
                                "</taskBody>"}}})}});
  std::string id = job["Id"];
  ProgressLine line("encode");
  auto started = std::chrono::steady_clock::now();
  for (;;) {
    Json state = a_.get("Jobs" + entity_key(id));
    int s = state["State"];
    Json tasks = a_.get("Jobs" + entity_key(id) + "/Tasks");
    double progress = tasks.empty() ? 0 : tasks[0].value("Progress", 0.0);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    line.update(progress / 100, std::to_string(int(seconds)) + " s");
    if (s == 3) break;
    if (s == 4 || s == 5) {
      line.finish();
      throw std::runtime_error("the encode job " + id + (s == 4 ? " failed: " : " was canceled: ") +
                               (tasks.empty() ? std::string() : tasks[0]["ErrorDetails"].dump()));
    }
    for (int i = 0; i < 10 && !interrupted_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (interrupted_) {
      line.finish();
      throw Interrupted();
    }
  }
  line.finish();
  Json outputs = a_.get("Jobs" + entity_key(id) + "/OutputMediaAssets");
  return outputs.at(0)["Id"];
}

PublishedAsset DemoWalkthrough::publish(const std::string& input_id, const std::string& output_id) {
  auto files = client::files_from(a_.get("Assets" + entity_key(output_id) + "/Files"));
  PublishedAsset p{input_id, output_id, {}, {}};
  for (const auto& f : files) {
    if (!f.name.ends_with(".ism")) continue;
    p.ism = f.name;
    if (!f.primary) a_.merge("Files" + entity_key(f.id), {{"IsPrimary", true}});
  }
  if (p.ism.empty()) throw std::runtime_error("the encode made no .ism");
  out_ << "publish: " << files.size() << " files; an origin locator in A for " << p.ism
       << std::endl;
  Json policy = a_.create("AccessPolicies", {{"Name", "stream"},
                                             {"DurationInMinutes", 30 * 24 * 60},
                                             {"Permissions", client::kPermissionRead}});
  Json locator = a_.create("Locators", {{"AccessPolicyId", policy["Id"]},
                                        {"AssetId", output_id},
                                        {"StartTime", client::odata_date(now_ms() - 300000)},
                                        {"Type", client::kOriginLocator}});
  p.locator_id = locator["Id"];
  out_ << "  locator " << p.locator_id << std::endl;
  return p;
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
