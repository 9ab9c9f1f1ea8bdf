// Random identifiers: GUIDs for request and copy ids, hex names for data files.
#pragma once

#include <string>
#include <string_view>

namespace twin::ids {

std::string new_guid();  // "3f2a…-…", lower case, version 4
std::string new_hex_id(size_t bytes = 16);
// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" with hex digits of either case.
bool is_guid(std::string_view text);

}  // namespace twin::ids
