#include "common/config.h"

#include <toml++/toml.h>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/crypto.h"

namespace twin::config {
namespace {

void validate_account(const Account& account) {
  if (account.name.size() < 3 || account.name.size() > 24)
    throw std::invalid_argument("account name must have 3 to 24 characters: " + account.name);
  for (char c : account.name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
      throw std::invalid_argument("account name must be lower-case letters and digits: " +
                                  account.name);
  if (account.keys.empty() || account.keys.size() > 2)
    throw std::invalid_argument("account " + account.name + " needs one or two keys");
  for (const auto& key : account.keys) {
    auto raw = crypto::base64_decode(key);
    if (!raw || raw->empty())
      throw std::invalid_argument("account " + account.name + " has a key that is not base64");
  }
}

Endpoint endpoint_from(toml::node_view<toml::node> node, Endpoint fallback) {
  if (auto text = node.value<std::string>()) return parse_endpoint(*text);
  return fallback;
}

void validate_media_account(const MediaAccount& a) {
  if (a.name.size() < 3 || a.name.size() > 24)
    throw std::invalid_argument("media account name must have 3 to 24 characters: " + a.name);
  for (char c : a.name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
      throw std::invalid_argument("media account name must be lower-case letters and digits: " +
                                  a.name);
  if (a.key.size() < 16)
    throw std::invalid_argument("media account " + a.name +
                                " needs a key of 16 characters or more");
}

void load_media(toml::node_view<toml::node> media, Media& m) {
  m.enabled = media["enabled"].value_or(true);
  m.listen = endpoint_from(media["listen"], m.listen);
  m.public_url = media["public_url"].value_or(std::string());
  m.streaming_base = media["streaming_base"].value_or(std::string());
  m.storage_url = media["storage_url"].value_or(std::string());
  m.token_lifetime_seconds = media["token_lifetime_seconds"].value_or(m.token_lifetime_seconds);
  m.job_workers = media["job_workers"].value_or(m.job_workers);
  m.x264_preset = media["x264_preset"].value_or(m.x264_preset);
  m.x264_threads = media["x264_threads"].value_or(m.x264_threads);
  if (m.x264_threads < 1 || m.x264_threads > 16)
    throw std::invalid_argument("media.x264_threads must be between 1 and 16");
  if (auto* accounts = media["accounts"].as_array()) {
    for (const auto& node : *accounts) {
      const auto* table = node.as_table();
      if (!table) throw std::invalid_argument("media.accounts entries must be tables");
      MediaAccount a{(*table)["name"].value_or(std::string()),
                     (*table)["key"].value_or(std::string()),
                     (*table)["storage_account"].value_or(std::string())};
      validate_media_account(a);
      m.accounts.push_back(a);
    }
  }
}

}  // namespace

Config development_default() {
  Config c;
  c.storage.accounts.push_back({kDevAccount, {kDevKey}});
  c.media.accounts.push_back({kDevMediaAccount, kDevMediaKey, kDevAccount});
  return c;
}

MediaAccount parse_media_account(const std::string& text) {
  auto parts = text.find(':');
  if (parts == std::string::npos)
    throw std::invalid_argument("expected NAME:KEY[:STORAGE_ACCOUNT], got '" + text + "'");
  MediaAccount a;
  a.name = text.substr(0, parts);
  std::string rest = text.substr(parts + 1);
  auto second = rest.find(':');
  a.key = rest.substr(0, second);
  if (second != std::string::npos) a.storage_account = rest.substr(second + 1);
  validate_media_account(a);
  return a;
}

Endpoint parse_endpoint(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw std::invalid_argument("expected HOST:PORT, got '" + text + "'");
  Endpoint e;
  e.host = text.substr(0, colon);
  if (e.host.size() > 2 && e.host.front() == '[' && e.host.back() == ']')
    e.host = e.host.substr(1, e.host.size() - 2);
  size_t used = 0;
  unsigned long port = 0;
  try {
    port = std::stoul(text.substr(colon + 1), &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() - colon - 1 || port > 65535)
    throw std::invalid_argument("bad port in '" + text + "'");
  e.port = static_cast<uint16_t>(port);
  return e;
}

Account parse_account(const std::string& text) {
  auto first = text.find(':');
  if (first == std::string::npos)
    throw std::invalid_argument("expected NAME:KEY, got '" + text + "'");
  Account a;
  a.name = text.substr(0, first);
  std::string rest = text.substr(first + 1);
  // Keys are base64 and never contain ':'.
  size_t start = 0;
  while (start <= rest.size()) {
    auto end = rest.find(':', start);
    a.keys.push_back(
        rest.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  validate_account(a);
  return a;
}

Config load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  toml::table root;
  try {
    root = toml::parse(text.str(), path);
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(path + ":" + std::to_string(e.source().begin.line) + ": " +
                             std::string(e.description()));
  }
  Config c;
  try {
    c.data_dir = root["data_dir"].value_or(c.data_dir);
    c.threads = root["threads"].value_or(c.threads);
    auto http = root["http"];
    c.http.max_header_bytes = http["max_header_bytes"].value_or(c.http.max_header_bytes);
    c.http.max_small_body_bytes =
        http["max_small_body_bytes"].value_or(c.http.max_small_body_bytes);
    c.http.idle_timeout_seconds =
        http["idle_timeout_seconds"].value_or(c.http.idle_timeout_seconds);
    c.http.shutdown_grace_seconds =
        http["shutdown_grace_seconds"].value_or(c.http.shutdown_grace_seconds);
    auto storage = root["storage"];
    c.storage.enabled = storage["enabled"].value_or(true);
    c.storage.listen = endpoint_from(storage["listen"], c.storage.listen);
    c.storage.public_url = storage["public_url"].value_or(std::string());
    c.storage.copy_workers = storage["copy_workers"].value_or(c.storage.copy_workers);
    c.storage.copy_verify_md5 = storage["copy_verify_md5"].value_or(false);
    c.storage.fsync = storage["fsync"].value_or(true);
    if (auto* accounts = storage["accounts"].as_array()) {
      for (const auto& node : *accounts) {
        const auto* table = node.as_table();
        if (!table) throw std::invalid_argument("storage.accounts entries must be tables");
        Account a;
        a.name = (*table)["name"].value_or(std::string());
        if (auto* keys = (*table)["keys"].as_array())
          for (const auto& k : *keys) a.keys.push_back(k.value_or(std::string()));
        if (auto key = (*table)["key"].value<std::string>()) a.keys.push_back(*key);
        validate_account(a);
        c.storage.accounts.push_back(a);
      }
    }
    load_media(root["media"], c.media);
    c.streaming.enabled = root["streaming"]["enabled"].value_or(true);
    c.streaming.listen = endpoint_from(root["streaming"]["listen"], c.streaming.listen);
    c.streaming.steering = steering_from_toml(text.str(), path);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  if (c.storage.accounts.empty()) c.storage.accounts.push_back({kDevAccount, {kDevKey}});
  if (c.media.accounts.empty())
    c.media.accounts.push_back({kDevMediaAccount, kDevMediaKey, c.storage.accounts.front().name});
  return c;
}

}  // namespace twin::config
