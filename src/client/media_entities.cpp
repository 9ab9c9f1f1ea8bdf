#include "client/media_entities.h"

#include <charconv>

#include "common/strings.h"

namespace twin::client {
namespace {

using Json = nlohmann::json;

std::string text(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t integer(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return 0;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {  // verbose OData writes Int64 as a string
    std::string s = it->get<std::string>();
    int64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
  }
  return 0;
}

bool boolean(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return false;
  if (it->is_boolean()) return it->get<bool>();
  return it->is_string() && str::iequals(it->get<std::string>(), "true");
}

}  // namespace

std::string Asset::container() const {
  size_t slash = uri.find_last_of('/');
  return slash == std::string::npos ? uri : uri.substr(slash + 1);
}

std::string Locator::blob_url(const std::string& blob) const {
  return base_uri + "/" + str::percent_encode(blob, true) + content_access;
}

std::optional<int64_t> odata_date_ms(const Json& value) {
  if (!value.is_string()) return std::nullopt;
  std::string s = value.get<std::string>();
  size_t open = s.find("Date("), close = s.find(')');
  if (open == std::string::npos || close == std::string::npos) return std::nullopt;
  int64_t ms = 0;
  auto [end, ec] = std::from_chars(s.data() + open + 5, s.data() + close, ms);
  if (ec != std::errc() || end != s.data() + close) return std::nullopt;
  return ms;
}

std::string odata_date(int64_t ms) {
  return "/Date(" + std::to_string(ms) + ")/";
}

Asset asset_from(const Json& j) {
  return {text(j, "Id"), text(j, "Name"), text(j, "Uri"), text(j, "StorageAccountName"),
          static_cast<int>(integer(j, "Options"))};
}

AssetFile file_from(const Json& j) {
  return {text(j, "Id"), text(j, "Name"), text(j, "MimeType"), integer(j, "ContentFileSize"),
          boolean(j, "IsPrimary")};
}

Locator locator_from(const Json& j) {
  Locator l;
  l.id = text(j, "Id");
  l.asset_id = text(j, "AssetId");
  l.policy_id = text(j, "AccessPolicyId");
  l.path = text(j, "Path");
  l.base_uri = text(j, "BaseUri");
  l.content_access = text(j, "ContentAccessComponent");
  l.type = static_cast<int>(integer(j, "Type"));
  if (j.contains("StartTime")) l.start_ms = odata_date_ms(j["StartTime"]);
  if (j.contains("ExpirationDateTime"))
    l.expiry_ms = odata_date_ms(j["ExpirationDateTime"]).value_or(0);
  return l;
}

AccessPolicy policy_from(const Json& j) {
  AccessPolicy p{text(j, "Id"), text(j, "Name"), 0, static_cast<int>(integer(j, "Permissions"))};
  if (auto it = j.find("DurationInMinutes"); it != j.end() && it->is_number())
    p.minutes = it->get<double>();
  return p;
}

std::vector<AssetFile> files_from(const Json& feed) {
  std::vector<AssetFile> out;
  for (const auto& j : feed) out.push_back(file_from(j));
  return out;
}

std::vector<Locator> locators_from(const Json& feed) {
  std::vector<Locator> out;
  for (const auto& j : feed) out.push_back(locator_from(j));
  return out;
}

const AssetFile* primary_manifest(const std::vector<AssetFile>& files) {
  for (const auto& f : files)
    if (f.primary && f.name.ends_with(".ism")) return &f;
  return nullptr;
}

}  // namespace twin::client
