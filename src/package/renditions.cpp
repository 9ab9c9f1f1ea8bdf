#include "package/renditions.h"

#include <algorithm>
#include <numeric>

#include "package/smooth_manifest.h"

namespace twin::package {

std::string stream_name(const Rendition& r) {
  return r.track.kind == mp4::TrackKind::video ? "video" : r.track_name;
}

std::string codec_string(const Rendition& r) {
  if (r.track.avc) return r.track.avc->codec_string();
  if (r.track.aac) return r.track.aac->codec_string();
  return r.track.codec;
}

MeasuredBitrate measure(const Rendition& r) {
  MeasuredBitrate m;
  uint64_t total = 0;
  for (const auto& s : r.segments) {
    uint64_t bytes = 0;
    for (uint32_t i = s.first_sample; i < s.first_sample + s.sample_count; ++i)
      bytes += r.track.samples[i].size;
    total += bytes;
    if (s.duration > 0) m.peak = std::max(m.peak, bytes * 8 * r.track.timescale / s.duration);
  }
  uint64_t duration = r.track.duration();
  if (duration > 0) m.average = total * 8 * r.track.timescale / duration;
  return m;
}

std::string frame_rate(const Rendition& r) {
  if (r.track.samples.empty() || r.track.samples[0].duration == 0) return "";
  uint64_t num = r.track.timescale, den = r.track.samples[0].duration;
  uint64_t g = std::gcd(num, den);
  num /= g;
  den /= g;
  return den == 1 ? std::to_string(num) : std::to_string(num) + "/" + std::to_string(den);
}

std::optional<size_t> segment_at(const Rendition& r, uint64_t smooth_time) {
  // Binary search on the segments' rounded start times (increasing), without building them all.
  auto start = [&](const Segment& s) {
    return mp4::rescale(s.start, r.track.timescale, kSmoothTimescale);
  };
  auto it = std::partition_point(r.segments.begin(), r.segments.end(),
                                 [&](const Segment& s) { return start(s) < smooth_time; });
  if (it == r.segments.end() || start(*it) != smooth_time) return std::nullopt;
  return static_cast<size_t>(it - r.segments.begin());
}

const Rendition* find_rendition(const Presentation& p, const std::string& stream,
                                uint64_t bitrate) {
  for (const auto* group : {&p.video, &p.audio})
    for (const auto& r : *group)
      if (r.bitrate == bitrate && stream_name(r) == stream) return &r;
  return nullptr;
}

}  // namespace twin::package
