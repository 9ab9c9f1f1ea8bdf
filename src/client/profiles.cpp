#include "client/profiles.h"

#include <toml++/toml.h>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace twin::client {
namespace {

[[noreturn]] void fail(const std::string& source, const toml::node& node, const std::string& key,
                       const std::string& why) {
  throw ProfileError(source + ":" + std::to_string(node.source().begin.line) + ": " + key + ": " +
                     why);
}

std::string string_key(const toml::table& t, const char* key, const std::string& prefix,
                       const std::string& source, bool required) {
  const toml::node* node = t.get(key);
  if (!node) {
    if (required) fail(source, t, prefix + key, "missing");
    return {};
  }
  auto value = node->value<std::string>();
  if (!value || value->empty()) fail(source, *node, prefix + key, "must be a non-empty string");
  return *value;
}

std::string without_trailing_slash(std::string url) {
  while (url.ends_with('/')) url.pop_back();
  return url;
}

DataCenterProfile profile_from(const std::string& name, const toml::table& t,
                               const std::string& source) {
  std::string prefix = "datacenters." + name + ".";
  static const char* const kKnown[] = {"media_api",    "media_account",   "media_key",
                                       "storage_url",  "storage_account", "storage_key",
                                       "streaming_url"};
  for (const auto& [key, node] : t) {
    bool known = false;
    for (const char* k : kKnown) known = known || key.str() == k;
    if (!known) fail(source, node, prefix + std::string(key.str()), "unknown key");
  }
  DataCenterProfile p;
  p.name = name;
  p.media_api = string_key(t, "media_api", prefix, source, true);
  p.media_account = string_key(t, "media_account", prefix, source, true);
  p.media_key = string_key(t, "media_key", prefix, source, true);
  p.storage_url = without_trailing_slash(string_key(t, "storage_url", prefix, source, true));
  p.storage_account = string_key(t, "storage_account", prefix, source, true);
  p.storage_key = string_key(t, "storage_key", prefix, source, true);
  p.streaming_url = without_trailing_slash(string_key(t, "streaming_url", prefix, source, false));
  const std::pair<const char*, const std::string*> urls[] = {{"media_api", &p.media_api},
                                                             {"storage_url", &p.storage_url},
                                                             {"streaming_url", &p.streaming_url}};
  for (const auto& [key, url] : urls)
    if (!url->empty() && !url->starts_with("http://") && !url->starts_with("https://"))
      fail(source, *t.get(key), prefix + key, "must be an http:// or https:// URL");
  return p;
}

}  // namespace

Profiles parse_profiles(std::string_view toml_text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    throw ProfileError(source + ":" + std::to_string(e.source().begin.line) + ": " +
                       std::string(e.description()));
  }
  for (const auto& [key, node] : root)
    if (key.str() != "datacenters") fail(source, node, std::string(key.str()), "unknown key");
  const toml::table* dcs = root["datacenters"].as_table();
  if (!dcs || dcs->empty())
    throw ProfileError(source +
                       ": datacenters: missing (a [datacenters.NAME] table per data center)");
  Profiles out;
  for (const auto& [name, node] : *dcs) {
    const toml::table* t = node.as_table();
    if (!t) fail(source, node, "datacenters." + std::string(name.str()), "must be a table");
    out.emplace(std::string(name.str()), profile_from(std::string(name.str()), *t, source));
  }
  return out;
}

Profiles load_profiles(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw ProfileError(path + ": cannot read the data center profiles (give --profiles FILE)");
  std::stringstream text;
  text << in.rdbuf();
  return parse_profiles(text.str(), path);
}

std::string default_profiles_path() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
    return std::string(xdg) + "/twinorigin/datacenters.toml";
  const char* home = std::getenv("HOME");
  return std::string(home ? home : ".") + "/.config/twinorigin/datacenters.toml";
}

const DataCenterProfile& profile_named(const Profiles& profiles, std::string_view name,
                                       const std::string& source) {
  auto it = profiles.find(name);
  if (it != profiles.end()) return it->second;
  std::string names;
  for (const auto& [n, p] : profiles) names += (names.empty() ? "" : ", ") + n;
  throw ProfileError(source + ": no data center named " + std::string(name) + " (there are " +
                     names + ")");
}

}  // namespace twin::client
