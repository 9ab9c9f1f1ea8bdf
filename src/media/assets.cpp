// Assets: each one is a blob container "asset-<guid>" in a storage account; its Files are the
// blobs the service knows about.
#include "common/log.h"
#include "media/api.h"
#include "media/errors.h"

namespace twin::media {

Json new_asset(Api& api, const std::string& name, int options, const std::string& storage_account) {
  if (options != asset_options::none && options != asset_options::storage_encrypted &&
      options != asset_options::common_encryption && options != asset_options::envelope_encryption)
    throw bad_request("Options must be one of 0, 1, 2 or 4, not " + std::to_string(options));
  std::string id = new_entity_id("nb:cid:UUID:");
  auto storage = api.storage(storage_account);
  storage.create_container(container_of(id));
  int64_t now = now_ms();
  Json asset = {{"Id", id},
                {"State", 0},
                {"Created", now},
                {"LastModified", now},
                {"AlternateId", nullptr},
                {"Name", name},
                {"Options", options},
                {"FormatOption", 0},
                {"Uri", storage.container_url(container_of(id))},
                {"StorageAccountName", storage_account}};
  api.store.insert(api.account.name, "Assets", "", asset);
  return asset;
}

Json create_asset(Api& api, const Json& fields) {
  std::string name = text_field(fields, "Name");
  if (name.size() > 512) throw bad_request("Name is longer than 512 characters");
  std::string storage_account = text_field(fields, "StorageAccountName");
  if (storage_account.empty()) storage_account = api.account.storage_account;
  int options = static_cast<int>(int_field(fields, "Options", 0));
  Json asset = new_asset(api, name, options, storage_account);
  if (fields.contains("AlternateId") && fields["AlternateId"].is_string()) {
    asset["AlternateId"] = fields["AlternateId"];
    api.store.update(api.account.name, "Assets", asset);
  }
  return asset;
}

void delete_asset(Api& api, const Json& asset, bool keep_container) {
  std::string id = asset["Id"];
  for (const auto& locator : api.store.children(api.account.name, "Locators", id))
    delete_locator(api, locator, !keep_container);
  for (const auto& file : api.store.children(api.account.name, "Files", id))
    api.store.remove(api.account.name, "Files", file["Id"]);
  if (!keep_container) api.storage(asset["StorageAccountName"]).delete_container(container_of(id));
  api.store.remove(api.account.name, "Assets", id);
}

void create_file_infos(Api& api, const std::string& asset_id) {
  Json asset = require(api, "Assets", asset_id);
  auto blobs = api.storage(asset["StorageAccountName"]).list_blobs(container_of(asset_id));
  auto files = api.store.children(api.account.name, "Files", asset_id);
  bool has_primary = false;
  for (const auto& f : files) has_primary = has_primary || f.value("IsPrimary", false);
  // The one .ism of a copied asset becomes its primary file, as it was in the source asset, so
  // the asset streams without a further MERGE.
  size_t manifests = 0;
  for (const auto& b : blobs) manifests += b.name.ends_with(".ism");
  for (const auto& b : blobs)
    register_blob(api, files, asset_id, b.name, int64_t(b.size),
                  !has_primary && manifests == 1 && b.name.ends_with(".ism"));
  log::info("file infos created", {{"asset", asset_id}, {"blobs", std::to_string(blobs.size())}});
}

}  // namespace twin::media
