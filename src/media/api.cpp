#include "media/api.h"

#include <algorithm>

#include "common/ids.h"
#include "media/errors.h"

namespace twin::media {

blob::StorageClient Api::storage(const std::string& storage_account) const {
  for (const auto& a : settings.storage_accounts)
    if (a.name == storage_account && !a.keys.empty())
      return blob::StorageClient(settings.storage_url, a.name, a.keys.front());
  throw not_found("The storage account '" + storage_account +
                  "' is not attached to this data center");
}

std::string new_entity_id(const std::string& prefix) {
  return prefix + ids::new_guid();
}

std::string guid_of(const std::string& id) {
  auto at = id.rfind(':');
  return at == std::string::npos ? id : id.substr(at + 1);
}

std::string container_of(const std::string& asset_id) {
  return "asset-" + guid_of(asset_id);
}

Json read_body(const EntitySet& set, const Json& body) {
  if (!body.is_object()) throw bad_request("The request body is not a JSON object");
  Json out = Json::object();
  for (const auto& [name, value] : body.items()) {
    if (name == "__metadata") continue;
    if (std::find(set.navigations.begin(), set.navigations.end(), name) != set.navigations.end())
      continue;
    const Property* p = set.property(name);
    if (!p)
      throw bad_request("The property '" + name + "' does not exist on type '" + set.type + "'");
    out[name] = coerce(*p, value);
  }
  return out;
}

void merge_fields(const EntitySet& set, Json& entity, const Json& fields,
                  const std::vector<std::string>& updatable,
                  const std::vector<std::string>& write_once) {
  auto listed = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  for (const auto& [name, value] : fields.items()) {
    if (value.is_null() && name != "Name" && name != "AlternateId") continue;
    if (listed(updatable, name)) {
      entity[name] = value;
    } else if (listed(write_once, name) && entity.value(name, Json()) != value) {
      throw bad_request("The property '" + name + "' of type '" + set.type + "' cannot be updated");
    }
  }
}

std::string text_field(const Json& fields, const char* name) {
  auto it = fields.find(name);
  return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t int_field(const Json& fields, const char* name, int64_t fallback) {
  auto it = fields.find(name);
  return it != fields.end() && it->is_number() ? it->get<int64_t>() : fallback;
}

bool bool_field(const Json& fields, const char* name, bool fallback) {
  auto it = fields.find(name);
  return it != fields.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

Json require(Api& api, const std::string& set, const std::string& id) {
  auto e = api.store.get(api.account.name, set, id);
  if (!e) throw not_found("No " + entity_set(set).type + " with Id '" + id + "' exists");
  return *e;
}

Json media_processor() {
  return {{"Id", kEncoderId}, {"Description", kEncoderName}, {"Name", kEncoderName},
          {"Sku", ""},        {"Vendor", "Microsoft"},       {"Version", kEncoderVersion}};
}

}  // namespace twin::media
