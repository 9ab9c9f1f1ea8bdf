// AssetFiles: the service's record of a blob in an asset's container.
#include <algorithm>

#include "media/api.h"
#include "media/errors.h"

namespace twin::media {
namespace {

// Names are used verbatim in streaming URLs: nothing percent-encoding would reserve, one dot.
void check_file_name(const std::string& name) {
  if (name.empty()) throw bad_request("The Name of an AssetFile is required");
  if (name.size() > 260)
    throw bad_request("The Name of an AssetFile is longer than 260 characters");
  const std::string reserved = "!*'();:@&=+$,/?%#[]\"";
  for (char c : name)
    if (reserved.find(c) != std::string::npos || static_cast<unsigned char>(c) < 0x20)
      throw bad_request("The AssetFile name '" + name + "' contains the reserved character '" +
                        std::string(1, c) + "'");
  if (std::count(name.begin(), name.end(), '.') > 1)
    throw bad_request("The AssetFile name '" + name + "' has more than one '.'");
}

void check_size(const Json& fields) {
  if (fields.contains("ContentFileSize") && fields["ContentFileSize"].is_number() &&
      fields["ContentFileSize"].get<int64_t>() < 0)
    throw bad_request("AssetFile ContentFileSize must not be negative");
}

void check_one_primary(Api& api, const std::string& asset_id, const std::string& except_id) {
  for (const auto& f : api.store.children(api.account.name, "Files", asset_id))
    if (f.value("IsPrimary", false) && f["Id"] != except_id)
      throw conflict("The asset already has a primary file ('" + f["Name"].get<std::string>() +
                     "'); an asset has at most one");
}

}  // namespace

Json create_file(Api& api, const Json& fields) {
  std::string name = text_field(fields, "Name");
  check_file_name(name);
  check_size(fields);
  if (!fields.contains("ParentAssetId") || !fields["ParentAssetId"].is_string())
    throw bad_request("ParentAssetId is required");
  std::string asset_id = fields["ParentAssetId"];
  require(api, "Assets", asset_id);
  for (const auto& f : api.store.children(api.account.name, "Files", asset_id))
    if (f["Name"] == name) throw conflict("The asset already has a file named '" + name + "'");
  bool primary = bool_field(fields, "IsPrimary", false);
  if (primary) check_one_primary(api, asset_id, "");
  Json file = file_entity(asset_id, name, int_field(fields, "ContentFileSize", 0), primary);
  file["IsEncrypted"] = bool_field(fields, "IsEncrypted", false);
  file["MimeType"] = fields.contains("MimeType") ? fields["MimeType"] : Json();
  for (const char* optional : {"EncryptionVersion", "EncryptionScheme", "EncryptionKeyId",
                               "InitializationVector", "ContentChecksum"})
    if (fields.contains(optional)) file[optional] = fields[optional];
  api.store.insert(api.account.name, "Files", asset_id, file);
  return file;
}

const char* mime_type_for(const std::string& name) {
  if (name.ends_with(".mp4") || name.ends_with(".m4v")) return "video/mp4";
  if (name.ends_with(".m4a")) return "audio/mp4";
  if (name.ends_with(".mov")) return "video/quicktime";
  return "application/octet-stream";  // .ism, .ismc and the rest
}

Json file_entity(const std::string& asset_id, const std::string& name, int64_t size, bool primary) {
  int64_t now = now_ms();
  return {{"Id", new_entity_id("nb:cid:UUID:")},
          {"Name", name},
          {"ContentFileSize", size},
          {"ParentAssetId", asset_id},
          {"IsEncrypted", false},
          {"IsPrimary", primary},
          {"MimeType", mime_type_for(name)},
          {"Created", now},
          {"LastModified", now},
          {"Options", 0}};
}

void register_blob(Api& api, std::vector<Json>& files, const std::string& asset_id,
                   const std::string& name, int64_t size, bool primary) {
  auto known =
      std::find_if(files.begin(), files.end(), [&](const Json& f) { return f["Name"] == name; });
  if (known == files.end()) {
    files.push_back(file_entity(asset_id, name, size, primary));
    api.store.insert(api.account.name, "Files", asset_id, files.back());
  } else if ((*known)["ContentFileSize"] != size) {
    (*known)["ContentFileSize"] = size;
    (*known)["LastModified"] = now_ms();
    api.store.update(api.account.name, "Files", *known);
  }
}

void merge_file(Api& api, Json& file, const Json& fields) {
  check_size(fields);
  if (bool_field(fields, "IsPrimary", false))
    check_one_primary(api, file["ParentAssetId"], file["Id"]);
  merge_fields(entity_set("Files"), file, fields,
               {"ContentFileSize", "IsPrimary", "MimeType", "IsEncrypted", "EncryptionScheme",
                "EncryptionVersion", "EncryptionKeyId", "InitializationVector", "ContentChecksum"},
               {"ParentAssetId", "Name"});
  file["LastModified"] = now_ms();
  api.store.update(api.account.name, "Files", file);
}

}  // namespace twin::media
