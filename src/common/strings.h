// Small string helpers shared by the protocol code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace twin::str {

std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);
std::string_view trim(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);
// Decodes %XX escapes; with plus_as_space also '+'. Invalid escapes are kept as they are.
std::string percent_decode(std::string_view s, bool plus_as_space = false);
// Encodes everything outside the RFC 3986 unreserved set, keeping '/' when keep_slash.
std::string percent_encode(std::string_view s, bool keep_slash = false);
// The scheme and authority of an absolute URL: "http://h:1/a/b?q" → "http://h:1".
std::string url_origin(std::string_view url);

}  // namespace twin::str
