// The Media Services entities the client commands read, as typed structs converted at the
// boundary from the verbose OData JSON (Int64 as strings, dates as "/Date(ms)/").
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace twin::client {

inline constexpr int kStorageEncrypted = 1;  // AssetCreationOptions.StorageEncrypted
inline constexpr int kSasLocator = 1, kOriginLocator = 2;
inline constexpr int kPermissionRead = 1, kPermissionWrite = 2, kPermissionList = 8;

struct Asset {
  std::string id, name, uri, storage_account;
  int options = 0;
  std::string container() const;  // the last segment of Uri: "asset-<guid>"
};

struct AssetFile {
  std::string id, name, mime_type;
  int64_t size = 0;
  bool primary = false;
};

struct Locator {
  std::string id, asset_id, policy_id, path, base_uri, content_access;
  int type = 0;
  std::optional<int64_t> start_ms;  // none: valid from its creation
  int64_t expiry_ms = 0;
  // The copy source URL of a blob through a SAS locator: BaseUri/<name>?<sas>.
  std::string blob_url(const std::string& blob) const;
};

struct AccessPolicy {
  std::string id, name;
  double minutes = 0;
  int permissions = 0;
};

Asset asset_from(const nlohmann::json& j);
AssetFile file_from(const nlohmann::json& j);
Locator locator_from(const nlohmann::json& j);
AccessPolicy policy_from(const nlohmann::json& j);
std::vector<AssetFile> files_from(const nlohmann::json& feed);
std::vector<Locator> locators_from(const nlohmann::json& feed);

// "/Date(1337049393000)/" → 1337049393000
std::optional<int64_t> odata_date_ms(const nlohmann::json& value);
std::string odata_date(int64_t ms);  // the reverse, as the API accepts it in a body
// The primary .ism of an asset's files, or null.
const AssetFile* primary_manifest(const std::vector<AssetFile>& files);

}  // namespace twin::client
