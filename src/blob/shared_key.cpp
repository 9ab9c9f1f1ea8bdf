#include "blob/shared_key.h"

#include <algorithm>
#include <map>

#include "common/strings.h"

namespace twin::blob {
namespace {

std::string header_value(const HeaderList& headers, std::string_view name) {
  std::string out;
  bool found = false;
  for (const auto& [n, v] : headers)
    if (str::iequals(n, name)) {
      if (found) out += ',';
      out += std::string(str::trim(v));
      found = true;
    }
  return out;
}

std::string canonical_headers(const HeaderList& headers, bool collation) {
  std::map<std::string, std::string> merged;
  for (const auto& [name, value] : headers) {
    std::string lower = str::to_lower(name);
    if (!lower.starts_with("x-ms-")) continue;
    std::string v(str::trim(value));
    // Unfold line breaks into single spaces.
    std::replace(v.begin(), v.end(), '\n', ' ');
    std::replace(v.begin(), v.end(), '\r', ' ');
    auto [it, inserted] = merged.emplace(lower, v);
    if (!inserted) it->second += "," + v;
  }
  std::vector<std::pair<std::string, std::string>> sorted(merged.begin(), merged.end());
  if (collation)
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return collation_less(a.first, b.first); });
  std::string out;
  for (const auto& [name, value] : sorted) out += name + ":" + value + "\n";
  return out;
}

std::string canonical_resource(const SigningInput& in) {
  std::string out = "/" + in.account + (in.raw_path.empty() ? "/" : in.raw_path);
  std::map<std::string, std::vector<std::string>> params;
  for (const auto& p : in.params) params[str::to_lower(p.name)].push_back(p.value);
  for (auto& [name, values] : params) {
    std::sort(values.begin(), values.end());
    out += "\n" + name + ":";
    for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + values[i];
  }
  return out;
}

int collation_weight(char c) {
  if (c == '_') return 1;
  if (c == '-') return 2;
  if (c >= '0' && c <= '9') return 10 + (c - '0');
  if (c >= 'a' && c <= 'z') return 30 + (c - 'a');
  if (c >= 'A' && c <= 'Z') return 30 + (c - 'A');
  return 100 + static_cast<unsigned char>(c);
}

}  // namespace

bool collation_less(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    int wa = collation_weight(a[i]), wb = collation_weight(b[i]);
    if (wa != wb) return wa < wb;
  }
  return a.size() < b.size();
}

std::string shared_key_string_to_sign(const SigningInput& in, const SigningVariant& variant) {
  std::string length = header_value(in.headers, "content-length");
  if (length == "0" && !variant.zero_length_literal) length.clear();
  std::string date = header_value(in.headers, "date");
  if (!variant.raw_date && !header_value(in.headers, "x-ms-date").empty()) date.clear();
  std::string encoding = header_value(in.headers, "content-encoding");
  std::string language = header_value(in.headers, "content-language");
  if (variant.swap_encoding_language) std::swap(encoding, language);
  std::string out = in.method;
  out += "\n" + encoding + "\n" + language + "\n" + length + "\n" +
         header_value(in.headers, "content-md5") + "\n" + header_value(in.headers, "content-type") +
         "\n" + date + "\n" + header_value(in.headers, "if-modified-since") + "\n" +
         header_value(in.headers, "if-match") + "\n" + header_value(in.headers, "if-none-match") +
         "\n" + header_value(in.headers, "if-unmodified-since") + "\n" +
         header_value(in.headers, "range") + "\n";
  out += canonical_headers(in.headers, variant.collation_sort);
  out += canonical_resource(in);
  return out;
}

std::vector<SigningVariant> shared_key_variants(const SigningInput& in) {
  std::string version = header_value(in.headers, "x-ms-version");
  bool old_length_rule = !version.empty() && version < "2015-02-21";
  std::vector<SigningVariant> variants{{old_length_rule, false, false, false}};
  if (!header_value(in.headers, "date").empty() && !header_value(in.headers, "x-ms-date").empty())
    variants.push_back({old_length_rule, true, false, false});
  if (!header_value(in.headers, "content-encoding").empty() &&
      !header_value(in.headers, "content-language").empty())
    variants.push_back({old_length_rule, false, true, false});
  bool has_metadata = std::any_of(in.headers.begin(), in.headers.end(), [](const auto& h) {
    return str::istarts_with(h.first, "x-ms-meta-");
  });
  if (has_metadata) variants.push_back({old_length_rule, false, false, true});
  return variants;
}

}  // namespace twin::blob
