// One media segment (moof + mdat) of a track, planned nginx-vod style: the header is built in
// memory with its exact size, and the samples are sent afterwards straight from the source file
// as byte ranges (one range when the samples are contiguous, as the encoder writes them).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mp4/movie.h"

namespace twin::mp4 {

struct FragmentRequest {
  uint32_t first_sample = 0;
  uint32_t sample_count = 0;
  uint32_t sequence_number = 1;
  // Subtracted from every composition offset (the video edit list's B-frame delay), so the
  // first frame is presented at time 0; offsets may become negative (trun version 1).
  int64_t composition_shift = 0;
  // The timescale of the fragment's times: the track's own (fMP4 for HLS and DASH, whose init
  // segment carries it) or 10 MHz for Smooth, whose clients build the init from the manifest.
  uint64_t timescale = 0;  // 0: the track's
  bool smooth = false;     // adds the tfxd box Smooth clients expect
};

struct SampleRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};

struct FragmentPlan {
  std::string header;               // moof and the mdat header
  std::vector<SampleRange> ranges;  // the mdat payload, from the source file
  uint64_t size() const;
};

FragmentPlan plan_fragment(const Track& track, const FragmentRequest& request);

}  // namespace twin::mp4
