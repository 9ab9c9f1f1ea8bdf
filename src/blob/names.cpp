#include "blob/names.h"

#include "common/crypto.h"

namespace twin::blob::names {
namespace {
bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t extra = 0;
    if (c >= 0x80) {
      if ((c >> 5) == 6)
        extra = 1;
      else if ((c >> 4) == 14)
        extra = 2;
      else if ((c >> 3) == 30)
        extra = 3;
      else
        return false;
    }
    if (extra > s.size() - i - 1) return false;
    for (size_t k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += extra + 1;
  }
  return true;
}
}  // namespace

std::optional<std::string> container_problem(std::string_view name) {
  if (name == "$root" || name == "$logs" || name == "$web") return std::nullopt;
  if (name.size() < 3 || name.size() > 63) return "length must be 3 to 63";
  if (!is_lower_alnum(name.front()) || !is_lower_alnum(name.back()))
    return "must start and end with a letter or digit";
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '-') {
      if (name[i - 1] == '-') return "must not contain consecutive dashes";
    } else if (!is_lower_alnum(c)) {
      return "may contain only lower-case letters, digits and dashes";
    }
  }
  return std::nullopt;
}

std::optional<std::string> blob_problem(std::string_view name) {
  if (name.empty() || name.size() > 1024) return "length must be 1 to 1024";
  if (!valid_utf8(name)) return "must be valid UTF-8";
  for (unsigned char c : name)
    if (c < 0x20 && c != '\t') return "must not contain control characters";
  return std::nullopt;
}

std::string normalized_blob(std::string name) {
  for (char& c : name)
    if (c == '\\') c = '/';
  return name;
}

bool valid_metadata_name(std::string_view name) {
  if (name.empty() || name.size() > 256) return false;
  auto ok_first = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  if (!ok_first(name.front())) return false;
  for (char c : name)
    if (!ok_first(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

bool valid_block_id(std::string_view id) {
  if (id.empty()) return false;
  auto raw = crypto::base64_decode(id);
  return raw && !raw->empty() && raw->size() <= 64;
}

}  // namespace twin::blob::names
