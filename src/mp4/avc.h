// The H.264 decoder configuration (avcC): parameter sets, the RFC 6381 codec string taken from
// the SPS, and the Annex B form that Smooth Streaming's CodecPrivateData carries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mp4/box_reader.h"

namespace twin::mp4 {

struct AvcConfig {
  std::vector<std::vector<uint8_t>> sps, pps;
  int nal_length_size = 4;

  // "avc1.PPCCLL" from profile_idc, constraint flags and level_idc of the first SPS.
  std::string codec_string() const;
  // Hex of 00000001 SPS 00000001 PPS…, upper case: dash.js and shaka split on "00000001".
  std::string annexb_hex() const;
};

// Parses an avcC box payload; throws FormatError when it is malformed or has no SPS/PPS.
AvcConfig parse_avcc(Bytes payload);

std::string hex_upper(Bytes bytes);

}  // namespace twin::mp4
