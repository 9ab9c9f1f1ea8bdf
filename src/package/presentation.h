// An asset's packaging plan: its tracks (one per MP4), each cut into segments at the same
// instants. Everything here is a pure function of the files, so two data centers holding the
// same files produce the same timelines, numbering and bytes.
//
// Timing policy, the same for every protocol: decode times start at 0 in every track. Video
// composition offsets are reduced by the track's edit (the B-frame delay), so the first frame
// is presented at 0 and keyframes are presented at their decode time; fragments carry them as
// signed offsets (trun version 1). An audio edit (AAC priming) is not applied: the priming
// samples play, as most packagers do, which puts audio at most one frame (21 ms) late.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mp4/movie.h"
#include "mp4/timescale.h"

namespace twin::package {

struct Segment {
  uint32_t first_sample = 0;
  uint32_t sample_count = 0;
  uint64_t start = 0;     // decode time of the first sample, track timescale
  uint64_t duration = 0;  // track timescale
};

struct Rendition {
  std::string file;        // name within the asset
  std::string track_name;  // from the .ism ("video", "aac_und_2_128000_1_1"…)
  uint64_t bitrate = 0;    // bits per second, as declared by the .ism
  mp4::Track track;
  std::vector<Segment> segments;
};

struct PackagingError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Presentation {
  std::vector<Rendition> video;  // highest bitrate first
  std::vector<Rendition> audio;
  double duration_seconds = 0;
};

struct TrackSource {
  std::string file;
  std::string track_name;
  uint64_t bitrate = 0;
  mp4::Track track;
};

// Cuts every track. The first video track sets the cut instants (a new segment at the first
// keyframe after each multiple of its first GOP's duration); every other video track must have
// keyframes at the same instants, else PackagingError; audio cuts at the first sample at or after
// each video cut. A last segment shorter than half the target is merged into the one before.
Presentation build_presentation(std::vector<TrackSource> sources);

}  // namespace twin::package
