#include "client/publishing.h"

#include <chrono>

#include "client/media_entities.h"
#include "common/strings.h"

namespace twin::client {
namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Five minutes back, as the walkthrough does, so that a clock a little ahead does not refuse it.
std::string start_time() {
  return odata_date(now_ms() - 300000);
}

}  // namespace

UploadTarget begin_upload(MediaClient& media, const std::string& name, int minutes) {
  UploadTarget t;
  t.asset_id = media.create("Assets", {{"Name", name}, {"Options", 0}})["Id"];
  t.policy_id = media.create("AccessPolicies", {{"Name", "upload"},
                                                {"DurationInMinutes", minutes},
                                                {"Permissions", kPermissionWrite}})["Id"];
  Json sas = media.create("Locators", {{"AccessPolicyId", t.policy_id},
                                       {"AssetId", t.asset_id},
                                       {"StartTime", start_time()},
                                       {"Type", kSasLocator}});
  t.locator_id = sas["Id"];
  t.container_sas_url = sas["Path"];
  return t;
}

void finish_upload(MediaClient& media, const UploadTarget& target) {
  auto r =
      media.call("GET", "CreateFileInfos?assetid='" + str::percent_encode(target.asset_id) + "'");
  if (r.status != 204) throw MediaCallError(r.status, "CreateFileInfos: " + r.text);
  media.remove("Locators" + entity_key(target.locator_id));
  media.remove("AccessPolicies" + entity_key(target.policy_id));
}

std::string start_encode(MediaClient& media, const std::string& input_asset_id,
                         const std::string& preset, const std::string& job_name) {
  Json input = {
      {"__metadata", {{"uri", media.api_root() + "Assets" + entity_key(input_asset_id)}}}};
  Json task = {{"Configuration", preset},
               {"MediaProcessorId", kEncoderProcessorId},
               {"TaskBody",
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><taskBody><inputAsset>"
                "JobInputAsset(0)</inputAsset><outputAsset "
                "assetCreationOptions=\"0\">JobOutputAsset(0)</outputAsset></taskBody>"}};
  Json job = media.create("Jobs", {{"Name", job_name},
                                   {"InputMediaAssets", Json::array({input})},
                                   {"Tasks", Json::array({task})}});
  return job["Id"];
}

JobProgress job_progress(MediaClient& media, const std::string& job_id) {
  JobProgress p;
  p.state = media.get("Jobs" + entity_key(job_id))["State"];
  Json tasks = media.get("Jobs" + entity_key(job_id) + "/Tasks");
  if (!tasks.empty()) {
    p.progress = tasks[0].value("Progress", 0.0);
    if (p.failed() && tasks[0].contains("ErrorDetails")) p.error = tasks[0]["ErrorDetails"].dump();
  }
  return p;
}

std::string job_output(MediaClient& media, const std::string& job_id) {
  Json outputs = media.get("Jobs" + entity_key(job_id) + "/OutputMediaAssets");
  if (outputs.empty()) throw std::runtime_error("job " + job_id + " has no output asset");
  return outputs.at(0)["Id"];
}

Publication publish_asset(MediaClient& media, const std::string& asset_id, int days) {
  auto files = files_from(media.get("Assets" + entity_key(asset_id) + "/Files"));
  Publication p;
  p.files = files.size();
  for (const auto& f : files) {
    if (!f.name.ends_with(".ism")) continue;
    p.ism = f.name;
    if (!f.primary) media.merge("Files" + entity_key(f.id), {{"IsPrimary", true}});
  }
  if (p.ism.empty()) throw std::runtime_error("asset " + asset_id + " has no .ism to publish");
  Json policy = media.create("AccessPolicies", {{"Name", "stream"},
                                                {"DurationInMinutes", days * 24 * 60},
                                                {"Permissions", kPermissionRead}});
  Json locator = media.create("Locators", {{"AccessPolicyId", policy["Id"]},
                                           {"AssetId", asset_id},
                                           {"StartTime", start_time()},
                                           {"Type", kOriginLocator}});
  p.locator_id = locator["Id"];
  return p;
}

}  // namespace twin::client
