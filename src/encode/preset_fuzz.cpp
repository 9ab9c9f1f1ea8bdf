// Fuzz target: MES JSON presets, as a job's task Configuration carries them.
#include "encode/preset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    twin::encode::parse_mes_json(std::string(reinterpret_cast<const char*>(data), size));
  } catch (const twin::encode::PresetError&) {
  }
  return 0;
}
