#include "common/steering_config.h"

#include <toml++/toml.h>

#include <stdexcept>
#include <string_view>

namespace twin::config {
namespace {

constexpr const char* kKey = "streaming.steering";

bool is_pathway_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

// What a manifest cannot carry unescaped: HLS quotes URIs, and RFC 3986 forbids these anyway.
bool has_unsafe_char(const std::string& url) {
  for (unsigned char c : url)
    if (c <= ' ' || c >= 0x7f ||
        std::string_view("\"<>\\^`{|}").find(char(c)) != std::string_view::npos)
      return true;
  return false;
}

// The scheme and the authority, e.g. "http://" and "edge-a.example.net:8900"; empty authority
// when the text is not an absolute http(s) URL.
std::string authority_of(const std::string& url, std::string::size_type& rest) {
  for (const char* scheme : {"http://", "https://"}) {
    std::string prefix(scheme);
    if (url.compare(0, prefix.size(), prefix) == 0) {
      rest = url.find_first_of("/?#", prefix.size());
      return url.substr(prefix.size(), rest == std::string::npos ? rest : rest - prefix.size());
    }
  }
  return {};
}

void validate_pathway(Pathway& p, size_t index) {
  std::string key = std::string(kKey) + ".pathways[" + std::to_string(index) + "]";
  if (p.id.empty()) throw std::invalid_argument(key + ".id is missing");
  for (char c : p.id)
    if (!is_pathway_char(c))
      throw std::invalid_argument(key + ".id \"" + p.id +
                                  "\" may hold only letters, digits, '.', '-' and '_'");
  while (!p.base.empty() && p.base.back() == '/') p.base.pop_back();
  std::string::size_type rest = std::string::npos;
  if (authority_of(p.base, rest).empty() || rest != std::string::npos || has_unsafe_char(p.base))
    throw std::invalid_argument(key + ".base \"" + p.base +
                                "\" must be an http(s) URL with a host and no path");
  if (!p.steering.empty() &&
      (authority_of(p.steering, rest).empty() || has_unsafe_char(p.steering)))
    throw std::invalid_argument(key + ".steering \"" + p.steering +
                                "\" must be an absolute http(s) URL");
}

}  // namespace

const Pathway* Steering::find(const std::string& id) const {
  for (const auto& p : pathways)
    if (p.id == id) return &p;
  return nullptr;
}

void validate(Steering& s) {
  if (s.pathways.empty()) throw std::invalid_argument(std::string(kKey) + ".pathways is empty");
  for (size_t i = 0; i < s.pathways.size(); ++i) {
    validate_pathway(s.pathways[i], i);
    for (size_t j = 0; j < i; ++j)
      if (s.pathways[j].id == s.pathways[i].id)
        throw std::invalid_argument(std::string(kKey) + ".pathways: the id \"" + s.pathways[i].id +
                                    "\" appears twice");
  }
  std::string::size_type rest;
  if (authority_of(s.server, rest).empty() || has_unsafe_char(s.server))
    throw std::invalid_argument(std::string(kKey) + ".server \"" + s.server +
                                "\" must be an absolute http(s) URL");
  if (s.ttl_seconds < 1 || s.ttl_seconds > 3600)
    throw std::invalid_argument(std::string(kKey) + ".ttl_seconds must be from 1 to 3600");
  if (s.default_pathway.empty()) s.default_pathway = s.pathways.front().id;
  if (!s.find(s.default_pathway))
    throw std::invalid_argument(std::string(kKey) + ".default \"" + s.default_pathway +
                                "\" names no pathway");
}

Steering steering_from_toml(std::string_view toml_text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    throw std::invalid_argument(source + ":" + std::to_string(e.source().begin.line) + ": " +
                                std::string(e.description()));
  }
  auto node = root["streaming"]["steering"];
  if (!node) return {};
  const toml::table* table = node.as_table();
  if (!table) throw std::invalid_argument(std::string(kKey) + " must be a table");
  for (const auto& [key, value] : *table)
    if (key != "server" && key != "default" && key != "ttl_seconds" && key != "pathways")
      throw std::invalid_argument(std::string(kKey) + "." + std::string(key.str()) +
                                  ": unknown key");
  Steering s;
  s.server = node["server"].value_or(std::string());
  s.default_pathway = node["default"].value_or(std::string());
  s.ttl_seconds = static_cast<int>(node["ttl_seconds"].value_or(int64_t{s.ttl_seconds}));
  if (auto* pathways = node["pathways"].as_array()) {
    for (size_t i = 0; i < pathways->size(); ++i) {
      const auto* entry = (*pathways)[i].as_table();
      std::string key = std::string(kKey) + ".pathways[" + std::to_string(i) + "]";
      if (!entry) throw std::invalid_argument(key + " must be a table");
      for (const auto& [name, value] : *entry)
        if (name != "id" && name != "base" && name != "steering")
          throw std::invalid_argument(key + "." + std::string(name.str()) + ": unknown key");
      s.pathways.push_back({(*entry)["id"].value_or(std::string()),
                            (*entry)["base"].value_or(std::string()),
                            (*entry)["steering"].value_or(std::string())});
    }
  }
  validate(s);
  return s;
}

}  // namespace twin::config
