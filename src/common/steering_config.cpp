#include "common/steering_config.h"

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
  if (s.default_pathway.empty()) s.default_pathway = s.pathways.front().id;
  if (!s.find(s.default_pathway))
    throw std::invalid_argument(std::string(kKey) + ".default \"" + s.default_pathway +
                                "\" names no pathway");
}

}  // namespace twin::config
