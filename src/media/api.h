// What every entity operation works with: the media account it acts for, the entity table, the
// account's storage (over the Blob REST API) and the response format.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "blob/storage_client.h"
#include "common/config.h"
#include "encode/preset.h"
#include "media/entity_store.h"
#include "media/odata_response.h"

namespace twin::media {

struct MediaAccount {
  std::string name;
  std::string key;              // as configured (base64 text); also the client_secret
  std::string storage_account;  // its default storage account
};

struct MediaSettings {
  std::vector<MediaAccount> accounts;
  std::string public_url;      // this API, "http://127.0.0.1:8700"
  std::string streaming_base;  // the origin's public base, used in origin locator Paths
  std::string storage_url;     // the Blob service root of this data center
  std::vector<config::Account> storage_accounts;
  int64_t token_lifetime_seconds = 6 * 3600;
  unsigned job_workers = 1;
  std::string work_dir;  // scratch space for encoder jobs
  std::string x264_preset = "medium";
  unsigned x264_threads = 1;  // per layer; see encode::EncodeRequest
};

class JobRunner;

struct Api {
  EntityStore& store;
  const MediaSettings& settings;
  const MediaAccount& account;
  Format format;
  JobRunner* jobs = nullptr;

  blob::StorageClient storage(const std::string& storage_account) const;
  blob::StorageClient storage() const { return storage(account.storage_account); }
};

// Generated ids: prefix + a new GUID; guid_of strips the prefix.
std::string new_entity_id(const std::string& prefix);
std::string guid_of(const std::string& id);
// "asset-<guid>" for an asset id.
std::string container_of(const std::string& asset_id);

// A request body's fields coerced to the set's types (see coerce); __metadata and navigation
// properties are left out; an undefined property is refused with 400.
Json read_body(const EntitySet& set, const Json& body);
// MERGE: copies the updatable fields; a write-once field that differs from the stored value is
// refused with 400; other read-only fields are ignored (SDKs send whole entities back).
void merge_fields(const EntitySet& set, Json& entity, const Json& fields,
                  const std::vector<std::string>& updatable,
                  const std::vector<std::string>& write_once);

// A coerced field: text (empty when absent or null), integer (fallback when absent or null).
std::string text_field(const Json& fields, const char* name);
int64_t int_field(const Json& fields, const char* name, int64_t fallback);
bool bool_field(const Json& fields, const char* name, bool fallback);

// Entity rules (assets.cpp, files.cpp, access_policies.cpp, locators.cpp, jobs.cpp).
Json create_asset(Api& api, const Json& fields);
Json new_asset(Api& api, const std::string& name, int options, const std::string& storage_account);
void delete_asset(Api& api, const Json& asset, bool keep_container);
void create_file_infos(Api& api, const std::string& asset_id);
Json create_file(Api& api, const Json& fields);
// A blob of the asset's container as a new File entity (not stored).
Json file_entity(const std::string& asset_id, const std::string& name, int64_t size, bool primary);
// Registers a blob of the asset as a File, or refreshes the size of the File of that name in
// `files` (the asset's Files, kept up to date): CreateFileInfos and the encoder's outputs.
void register_blob(Api& api, std::vector<Json>& files, const std::string& asset_id,
                   const std::string& name, int64_t size, bool primary);
const char* mime_type_for(const std::string& name);
void merge_file(Api& api, Json& file, const Json& fields);
Json create_access_policy(Api& api, const Json& fields);
Json create_locator(Api& api, const Json& fields, const Json& raw_body);
void merge_locator(Api& api, Json& locator, const Json& fields);
void delete_locator(Api& api, const Json& locator, bool container_going);
Json create_job(Api& api, const Json& fields, const Json& raw_body);
// A task's Configuration as a preset: MES JSON, else a preset name. Throws encode::PresetError.
encode::Preset task_preset(const std::string& configuration);
void cancel_job(Api& api, const std::string& job_id);
Json media_processor();

// Locator rules (locators.cpp): a caller's Id as a bare GUID or "nb:lid:UUID:<guid>" becomes
// "nb:lid:UUID:<lower-case guid>" (else 400); Permissions flags as SAS letters "rwdl".
std::string normalize_locator_id(const std::string& given);
std::string sas_permissions(int permissions);

Json require(Api& api, const std::string& set, const std::string& id);

// What an origin locator publishes, for the streaming origin: the asset's container and the
// locator's window. Empty for an unknown GUID or a locator that is not an origin locator.
struct OriginLocator {
  std::string storage_account, container;
  std::optional<int64_t> start_ms;
  int64_t expiry_ms = 0;
};
std::optional<OriginLocator> find_origin_locator(EntityStore& store, const std::string& guid);

}  // namespace twin::media
