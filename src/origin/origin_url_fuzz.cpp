// Fuzz target: the origin URL grammar (locator, asset name, manifest, fragment and segment forms).
#include "origin/origin_url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  twin::origin::parse_origin_url(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
