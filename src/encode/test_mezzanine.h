// A mezzanine made from libavfilter's test sources (testsrc2 with a running counter, and a
// beeping sine), so `twinorigin demo` needs no file: H.264 and AAC in an MP4.
#pragma once

#include <functional>
#include <string>

namespace twin::encode {

struct MezzanineSpec {
  int seconds = 60;
  int width = 1920, height = 1080;
  int frame_rate = 25;
};

// Writes the MP4 at path; progress gets the fraction done. Throws EncodeError.
void make_test_mezzanine(const std::string& path, const MezzanineSpec& spec,
                         const std::function<void(double)>& progress = {});

}  // namespace twin::encode
