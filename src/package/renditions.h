// What every manifest builder derives from a rendition the same way: its stream name and URL
// parts, its segment times in the 10 MHz timescale all URLs use, codec strings, measured
// bitrates and the video frame rate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "package/presentation.h"

namespace twin::package {

// "video" for video, the .ism track name for audio: the name in Fragments(<name>=<t>).
std::string stream_name(const Rendition& r);
// RFC 6381 codecs: "avc1.64001f", "mp4a.40.2".
std::string codec_string(const Rendition& r);

struct MeasuredBitrate {
  uint64_t average = 0;  // bits per second over the whole track
  uint64_t peak = 0;     // the largest single segment's bit rate
};
MeasuredBitrate measure(const Rendition& r);

// "25", "30000/1001": the frame rate of a video rendition from its first sample's duration.
std::string frame_rate(const Rendition& r);

// The segment whose Smooth start time is t, if any.
std::optional<size_t> segment_at(const Rendition& r, uint64_t smooth_time);

// Finds the rendition a fragment URL names: stream name and bitrate.
const Rendition* find_rendition(const Presentation& p, const std::string& stream, uint64_t bitrate);

}  // namespace twin::package
