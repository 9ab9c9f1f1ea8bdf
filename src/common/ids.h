// Random identifiers: GUIDs for request and copy ids, hex names for data files.
#pragma once

#include <string>

namespace twin::ids {

std::string new_guid();  // "3f2a…-…", lower case, version 4
std::string new_hex_id(size_t bytes = 16);

}  // namespace twin::ids
