// Locators. A SAS locator (Type 1) is a container SAS bound to a stored access policy named by
// the locator's GUID, so deleting the locator revokes the URL; an origin locator (Type 2) is
// the path "<streaming base>/<guid>/" under which the origin serves the asset. The caller may
// choose the Id, which is how a second data center publishes under the same URL.
#include <cctype>
#include <cmath>

#include "common/ids.h"
#include "common/strings.h"
#include "common/time.h"
#include "media/api.h"
#include "media/errors.h"

namespace twin::media {
namespace {

constexpr size_t kMaxLocatorsPerAsset = 5;

}  // namespace

std::string normalize_locator_id(const std::string& given) {
  std::string guid = given;
  if (str::istarts_with(given, "nb:lid:UUID:")) guid = given.substr(12);
  if (!ids::is_guid(guid))
    throw bad_request(
        "Invalid locator Id. Make sure to use the following format: "
        "'nb:lid:UUID:<GUID>'");
  return "nb:lid:UUID:" + str::to_lower(guid);
}

std::string sas_permissions(int p) {
  std::string out;
  if (p & permissions::read) out += 'r';
  if (p & permissions::write) out += 'w';
  if (p & permissions::del) out += 'd';
  if (p & permissions::list) out += 'l';
  return out;
}

namespace {

std::string iso_seconds(int64_t ms) {
  return timefmt::iso8601_seconds(timefmt::from_unix_micros(ms * 1000));
}

void set_sas_paths(Api& api, Json& locator, const Json& asset, const Json& policy) {
  auto storage = api.storage(asset["StorageAccountName"]);
  std::string container = container_of(asset["Id"]);
  std::string guid = guid_of(locator["Id"]);
  auto acl = storage.container_acl(container);
  std::erase_if(acl, [&](const blob::AccessPolicy& p) { return p.id == guid; });
  if (acl.size() >= kMaxLocatorsPerAsset)
    throw conflict("The asset's container already has 5 stored access policies");
  blob::AccessPolicy stored;
  stored.id = guid;
  if (locator["StartTime"].is_number()) stored.start = iso_seconds(locator["StartTime"]);
  stored.expiry = iso_seconds(locator["ExpirationDateTime"]);
  stored.permission = sas_permissions(policy["Permissions"]);
  acl.push_back(stored);
  storage.set_container_acl(container, acl);
  std::string sas = "?" + storage.container_sas(container, guid);
  locator["BaseUri"] = storage.container_url(container);
  locator["ContentAccessComponent"] = sas;
  locator["Path"] = storage.container_url(container) + sas;
}

void set_origin_paths(Api& api, Json& locator) {
  std::string guid = guid_of(locator["Id"]);
  locator["BaseUri"] = api.settings.streaming_base;
  locator["ContentAccessComponent"] = guid;
  locator["Path"] = api.settings.streaming_base + "/" + guid + "/";
}

int64_t expiration(const Json& start, const Json& policy) {
  int64_t base = start.is_number() ? start.get<int64_t>() : now_ms();
  return base + std::llround(policy["DurationInMinutes"].get<double>() * 60000.0);
}

std::string required_id(const Json& fields, const char* name) {
  if (!fields.contains(name) || !fields[name].is_string())
    throw bad_request(std::string(name) + " is required");
  return fields[name];
}

void check_rules(Api& api, int type, const Json& asset, const Json& policy) {
  int p = policy["Permissions"];
  if (type == locator_type::origin && p != permissions::read)
    throw bad_request(
        "An OnDemandOrigin locator needs a read-only access policy; this one has "
        "permissions " +
        std::to_string(p) + " (Write, Delete and List are not allowed)");
  if (type == locator_type::sas && asset["Options"] == asset_options::storage_encrypted &&
      !(p & permissions::write))
    throw bad_request(
        "The asset is StorageEncrypted: its files cannot be read out through a SAS "
        "locator, so it cannot be replicated; encode into an asset created with "
        "Options=0");
  if (api.store.children(api.account.name, "Locators", asset["Id"]).size() >= kMaxLocatorsPerAsset)
    throw conflict("The asset already has 5 locators, the most an asset can have");
}

}  // namespace

Json create_locator(Api& api, const Json& fields, const Json& raw_body) {
  Json asset = require(api, "Assets", required_id(fields, "AssetId"));
  Json policy = require(api, "AccessPolicies", required_id(fields, "AccessPolicyId"));
  if (!fields.contains("Type") || !fields["Type"].is_number())
    throw bad_request("Type is required");
  int type = fields["Type"];
  if (type != locator_type::sas && type != locator_type::origin)
    throw bad_request("Type must be 1 (SAS) or 2 (OnDemandOrigin), not " + std::to_string(type));
  std::string id = raw_body.contains("Id") && raw_body["Id"].is_string() &&
                           !raw_body["Id"].get<std::string>().empty()
                       ? normalize_locator_id(raw_body["Id"])
                       : new_entity_id("nb:lid:UUID:");
  if (auto existing = api.store.find("Locators", id))
    throw existing->account == api.account.name
        ? conflict("A locator with the Id '" + id + "' already exists")
        : MediaError(403, "Forbidden",
                     "The locator Id '" + id + "' belongs to another Media Services account");
  check_rules(api, type, asset, policy);
  Json locator = {{"Id", id},
                  {"Name", fields.contains("Name") ? fields["Name"] : Json()},
                  {"Type", type},
                  {"AccessPolicyId", policy["Id"]},
                  {"AssetId", asset["Id"]},
                  {"StartTime", fields.contains("StartTime") ? fields["StartTime"] : Json()}};
  locator["ExpirationDateTime"] = expiration(locator["StartTime"], policy);
  if (type == locator_type::sas)
    set_sas_paths(api, locator, asset, policy);
  else
    set_origin_paths(api, locator);
  if (!api.store.insert(api.account.name, "Locators", asset["Id"], locator))
    throw conflict("A locator with the Id '" + id + "' already exists");
  return locator;
}

void merge_locator(Api& api, Json& locator, const Json& fields) {
  if (locator["Type"] == locator_type::sas)
    throw bad_request("A SAS locator cannot be updated; delete it and create another");
  Json policy = require(api, "AccessPolicies", locator["AccessPolicyId"]);
  merge_fields(entity_set("Locators"), locator, fields, {"StartTime", "ExpirationDateTime", "Name"},
               {"Type", "AccessPolicyId", "AssetId"});
  if (!fields.contains("ExpirationDateTime"))
    locator["ExpirationDateTime"] = expiration(locator["StartTime"], policy);
  api.store.update(api.account.name, "Locators", locator);
}

void delete_locator(Api& api, const Json& locator, bool container_going) {
  if (locator["Type"] == locator_type::sas && !container_going) {
    Json asset = require(api, "Assets", locator["AssetId"]);
    auto storage = api.storage(asset["StorageAccountName"]);
    std::string container = container_of(asset["Id"]);
    try {
      auto acl = storage.container_acl(container);
      std::erase_if(acl,
                    [&](const blob::AccessPolicy& p) { return p.id == guid_of(locator["Id"]); });
      storage.set_container_acl(container, acl);
    } catch (const blob::StorageCallError& e) {
      if (e.status != 404) throw;  // the container is gone: nothing left to revoke
    }
  }
  api.store.remove(api.account.name, "Locators", locator["Id"]);
}

std::optional<OriginLocator> find_origin_locator(EntityStore& store, const std::string& guid) {
  auto locator = store.find("Locators", "nb:lid:UUID:" + guid);
  if (!locator || locator->body["Type"] != locator_type::origin) return std::nullopt;
  auto asset = store.find("Assets", locator->body["AssetId"]);
  if (!asset) return std::nullopt;
  OriginLocator out{asset->body["StorageAccountName"], container_of(asset->body["Id"]),
                    std::nullopt, locator->body["ExpirationDateTime"]};
  if (locator->body["StartTime"].is_number())
    out.start_ms = locator->body["StartTime"].get<int64_t>();
  return out;
}

}  // namespace twin::media
