// The server manifest (.ism, SMIL 2.0) that lists an encoded asset's files for the origin.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace twin::encode {

struct IsmTrack {
  std::string src;  // file name within the asset
  bool audio = false;
  uint64_t system_bitrate;  // bits per second, measured from the file
  int track_id = 1;         // the track's id inside that MP4
  std::string track_name;   // "video", or e.g. "aac_und_2_128000_2_1"
};

// Deterministic: the same tracks give the same bytes. Audio entries come first, then video in
// the given order; ismc_name, when set, is announced as clientManifestRelativePath.
std::string write_ism(const std::vector<IsmTrack>& tracks, const std::string& ismc_name);

}  // namespace twin::encode
