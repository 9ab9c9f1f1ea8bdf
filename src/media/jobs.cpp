// Jobs and their Tasks, as submitted: inline Tasks whose TaskBody names JobInputAsset(n) and
// JobOutputAsset(n); output assets are created at submit.
#include <pugixml.hpp>
#include <regex>

#include "common/strings.h"
#include "encode/preset.h"
#include "media/api.h"
#include "media/errors.h"
#include "media/job_runner.h"

namespace twin::media {
namespace {

std::vector<std::string> input_asset_ids(Api& api, const Json& raw_body) {
  static const std::regex key(R"(Assets\('([^']+)'\))");
  auto list = raw_body.find("InputMediaAssets");
  if (list == raw_body.end() || !list->is_array() || list->empty())
    throw bad_request("A job needs at least one asset in InputMediaAssets");
  std::vector<std::string> ids;
  for (const auto& item : *list) {
    std::string uri;
    if (item.is_object() && item.contains("__metadata") && item["__metadata"].is_object())
      uri = text_field(item["__metadata"], "uri");
    std::smatch m;
    if (!std::regex_search(uri, m, key))
      throw bad_request("An InputMediaAssets entry does not reference an asset: " + item.dump());
    ids.push_back(str::percent_decode(m[1].str()));
    require(api, "Assets", ids.back());
  }
  return ids;
}

int asset_index(const std::string& text, const char* function) {
  static const std::regex form(R"(^\s*(JobInputAsset|JobOutputAsset)\((\d+)\)\s*$)");
  std::smatch m;
  if (!std::regex_match(text, m, form) || m[1].str() != function)
    throw bad_request("The TaskBody has '" + text + "' where " + function + "(n) was expected");
  return std::stoi(m[2].str());
}

struct OutputSpec {
  std::string name;
  int options = asset_options::storage_encrypted;  // the documented default
};

struct TaskPlan {
  Json fields;
  std::vector<int> inputs, outputs;
};

TaskPlan plan_task(const Json& raw, size_t input_count, std::map<int, OutputSpec>& outputs) {
  TaskPlan plan{read_body(entity_set("Tasks"), raw), {}, {}};
  if (!str::iequals(text_field(plan.fields, "MediaProcessorId"), kEncoderId))
    throw bad_request("Unknown MediaProcessorId '" + text_field(plan.fields, "MediaProcessorId") +
                      "'; this service runs " + kEncoderName + " (" + kEncoderId + ")");
  try {
    task_preset(text_field(plan.fields, "Configuration"));
  } catch (const encode::PresetError& e) {
    throw bad_request(std::string("The task's Configuration is not a valid preset: ") + e.what());
  }
  pugi::xml_document doc;
  if (!doc.load_string(text_field(plan.fields, "TaskBody").c_str()) || !doc.child("taskBody"))
    throw bad_request("The TaskBody is not a <taskBody> XML document");
  for (auto in : doc.child("taskBody").children("inputAsset")) {
    plan.inputs.push_back(asset_index(in.text().get(), "JobInputAsset"));
    if (size_t(plan.inputs.back()) >= input_count)
      throw bad_request("The TaskBody names JobInputAsset(" + std::to_string(plan.inputs.back()) +
                        ") but the job has " + std::to_string(input_count) + " input assets");
  }
  for (auto out : doc.child("taskBody").children("outputAsset")) {
    int n = asset_index(out.text().get(), "JobOutputAsset");
    if (outputs.count(n))
      throw bad_request("JobOutputAsset(" + std::to_string(n) + ") is the output of two tasks");
    OutputSpec spec{out.attribute("assetName").value(),
                    out.attribute("assetCreationOptions").as_int(asset_options::storage_encrypted)};
    outputs[n] = spec;
    plan.outputs.push_back(n);
  }
  if (plan.inputs.empty() || plan.outputs.empty())
    throw bad_request("A task needs at least one inputAsset and one outputAsset in its TaskBody");
  return plan;
}

}  // namespace

encode::Preset task_preset(const std::string& configuration) {
  if (str::trim(configuration).starts_with("{")) return encode::parse_mes_json(configuration);
  auto preset = encode::builtin_preset(configuration);
  if (!preset) throw encode::PresetError("unknown preset '" + configuration + "'");
  return *preset;
}

Json create_job(Api& api, const Json& fields, const Json& raw_body) {
  std::vector<std::string> inputs = input_asset_ids(api, raw_body);
  auto tasks_raw = raw_body.find("Tasks");
  if (tasks_raw == raw_body.end() || !tasks_raw->is_array() || tasks_raw->empty())
    throw bad_request("A job needs at least one task in Tasks");
  std::map<int, OutputSpec> output_specs;
  std::vector<TaskPlan> plans;
  for (const auto& t : *tasks_raw) plans.push_back(plan_task(t, inputs.size(), output_specs));
  for (size_t i = 0; i < output_specs.size(); ++i)
    if (!output_specs.count(static_cast<int>(i)))
      throw bad_request("The output assets must be numbered JobOutputAsset(0) to (n-1)");

  std::string job_id = new_entity_id("nb:jid:UUID:");
  std::string job_name = text_field(fields, "Name");
  std::vector<std::string> outputs;
  for (const auto& [n, spec] : output_specs) {
    std::string name = !spec.name.empty() ? spec.name
                                          : "JobOutputAsset(" + std::to_string(n) + ")_" +
                                                (job_name.empty() ? job_id : job_name);
    outputs.push_back(new_asset(api, name, spec.options, api.account.storage_account)["Id"]);
  }
  int64_t now = now_ms();
  Json job = {{"Id", job_id},
              {"Name", job_name},
              {"Created", now},
              {"LastModified", now},
              {"EndTime", nullptr},
              {"Priority", int_field(fields, "Priority", 0)},
              {"RunningDuration", 0.0},
              {"StartTime", nullptr},
              {"State", job_state::queued},
              {"TemplateId", nullptr},
              {"_inputs", inputs},
              {"_outputs", outputs}};
  for (size_t i = 0; i < plans.size(); ++i) {
    Json task = plans[i].fields;
    task["Id"] = new_entity_id("nb:tid:UUID:");
    for (const char* k : {"EndTime", "StartTime", "PerfMessage"}) task[k] = nullptr;
    task["ErrorDetails"] = Json::array();
    task["Progress"] = 0.0;
    task["RunningDuration"] = 0.0;
    task["State"] = job_state::queued;
    task["Priority"] = int_field(task, "Priority", 0);
    task["Options"] = int_field(task, "Options", 0);
    task["_index"] = i;
    task["_inputs"] = Json::array();
    task["_outputs"] = Json::array();
    for (int n : plans[i].inputs) task["_inputs"].push_back(inputs[size_t(n)]);
    for (int n : plans[i].outputs) task["_outputs"].push_back(outputs[size_t(n)]);
    api.store.insert(api.account.name, "Tasks", job_id, task);
  }
  api.store.insert(api.account.name, "Jobs", "", job);
  if (api.jobs) api.jobs->wake();
  return job;
}

void cancel_job(Api& api, const std::string& job_id) {
  require(api, "Jobs", job_id);
  if (!api.jobs) throw MediaError(503, "ServiceUnavailable", "No job runner in this process");
  api.jobs->cancel(api.account.name, job_id);
}

}  // namespace twin::media
