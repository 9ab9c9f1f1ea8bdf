// Fuzz target: the .ism (SMIL) reader on any text a publisher could upload.
#include "origin/ism_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    twin::origin::parse_ism(std::string(reinterpret_cast<const char*>(data), size), "x.ism");
  } catch (const twin::origin::AssetError&) {
  }
  return 0;
}
