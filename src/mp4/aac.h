// The AAC decoder configuration: the AudioSpecificConfig found in an esds box.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mp4/box_reader.h"

namespace twin::mp4 {

struct AacConfig {
  std::vector<uint8_t> audio_specific_config;
  int object_type = 0;  // 2 = AAC-LC
  int sample_rate = 0;
  int channels = 0;

  std::string codec_string() const { return "mp4a.40." + std::to_string(object_type); }
};

// Parses an esds box payload (a FullBox holding an ES_Descriptor); throws FormatError.
AacConfig parse_esds(Bytes payload);

}  // namespace twin::mp4
