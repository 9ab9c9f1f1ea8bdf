// The data center profiles of the client commands (replicate, verify): where each data center's
// media API and storage service are, and the keys to reach them. A TOML file:
//   [datacenters.A]
//   media_api = "http://dc-a:8700/api/"        # the global entry or the account's API root
//   media_account = "mediaa"
//   media_key = "…"
//   storage_url = "http://dc-a:10000/storea"   # the storage account's root, path style
//   storage_account = "storea"
//   storage_key = "…"                          # base64
//   streaming_url = "http://dc-a:8800"         # optional: reach the origin here instead of
//                                              # the host its locators publish
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace twin::client {

struct DataCenterProfile {
  std::string name;
  std::string media_api, media_account, media_key;
  std::string storage_url, storage_account, storage_key;
  std::string streaming_url;  // empty: the locators' own Path
};

struct ProfileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Profiles = std::map<std::string, DataCenterProfile, std::less<>>;

// Throws ProfileError naming the file, the line and the key.
Profiles parse_profiles(std::string_view toml_text, const std::string& source);
Profiles load_profiles(const std::string& path);
// ~/.config/twinorigin/datacenters.toml ($XDG_CONFIG_HOME when set).
std::string default_profiles_path();
// The named profile; throws ProfileError listing the names there are.
const DataCenterProfile& profile_named(const Profiles& profiles, std::string_view name,
                                       const std::string& source);

}  // namespace twin::client
