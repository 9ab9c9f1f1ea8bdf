// Reads the server manifest (.ism, SMIL 2.0) of a published asset: which files it lists, audio or
// video, with their track names, declared bitrates and track ids.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "origin/asset_error.h"

namespace twin::origin {

struct IsmEntry {
  std::string src, track_name;
  bool audio = false;
  uint64_t bitrate = 0;
  uint32_t track_id = 0;  // 0: the first track of the entry's kind
};

// Throws AssetError (415) for a document that is not XML, lists nothing, or has an entry
// without src. ism_name is used in the messages.
std::vector<IsmEntry> parse_ism(const std::string& text, const std::string& ism_name);

}  // namespace twin::origin
