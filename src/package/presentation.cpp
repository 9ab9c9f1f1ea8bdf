#include "package/presentation.h"

#include <algorithm>

namespace twin::package {
namespace {

__extension__ typedef __int128 i128;

// A cut instant, exact: ticks / timescale seconds.
struct Instant {
  uint64_t ticks;
  uint32_t timescale;
};

// Video layers whose timescales differ may place the same keyframe a rounding step apart.
constexpr i128 kVideoToleranceMs = 1;

uint64_t target_duration(const mp4::Track& t) {
  if (t.kind != mp4::TrackKind::video) return 2ull * t.timescale;  // audio-only assets: 2 s
  for (size_t i = 1; i < t.samples.size(); ++i) {
    if (!t.samples[i].sync) continue;
    // Found by mp4_packaging_fuzz: samples of zero duration put the second keyframe at 0 and
    // the cut arithmetic divided by zero (SIGFPE in the origin).
    if (t.samples[i].decode_time == 0)
      throw PackagingError("the video's first GOP has no duration (samples of zero duration)");
    return t.samples[i].decode_time;
  }
  return std::max<uint64_t>(t.duration(), 1);
}

// Where the reference track starts its segments (consistent chunking: the first sync sample
// after each multiple of the target), with a short tail merged into the segment before.
std::vector<Instant> reference_cuts(const mp4::Track& t) {
  if (t.samples.empty()) throw PackagingError("the track in the reference file has no samples");
  if (!t.samples[0].sync) throw PackagingError("the first video sample is not a keyframe");
  uint64_t target = target_duration(t);
  std::vector<Instant> cuts{{0, t.timescale}};
  for (const auto& s : t.samples)
    if (s.sync && s.decode_time / target > cuts.back().ticks / target)
      cuts.push_back({s.decode_time, t.timescale});
  if (cuts.size() > 1 && (t.duration() - cuts.back().ticks) * 2 < target) cuts.pop_back();
  return cuts;
}

// Index of the first sample presented at or after the instant (less a tolerance for video).
size_t first_sample_at(const mp4::Track& t, Instant at, i128 tolerance_ms) {
  auto before = [&](const mp4::Sample& s) {
    i128 lhs = i128(s.decode_time) * at.timescale * 1000;
    i128 rhs = i128(at.ticks) * t.timescale * 1000 - tolerance_ms * at.timescale * t.timescale;
    return lhs < rhs;
  };
  auto it = std::partition_point(t.samples.begin(), t.samples.end(), before);
  return static_cast<size_t>(it - t.samples.begin());
}

std::vector<Segment> cut(const std::string& file, const mp4::Track& t,
                         const std::vector<Instant>& cuts) {
  if (t.samples.empty()) throw PackagingError(file + " has no samples");
  bool video = t.kind == mp4::TrackKind::video;
  std::vector<size_t> firsts;
  for (const Instant& at : cuts) {
    size_t i = first_sample_at(t, at, video ? kVideoToleranceMs : 0);
    if (i >= t.samples.size()) {
      if (video) throw PackagingError(file + " ends before the other video layers");
      break;
    }
    if (video && !t.samples[i].sync)
      throw PackagingError(file + " has no keyframe where the other layers have one (" +
                           std::to_string(double(at.ticks) / at.timescale) +
                           " s): the layers are not GOP-aligned");
    if (firsts.empty() || i > firsts.back()) firsts.push_back(i);
  }
  std::vector<Segment> segments;
  for (size_t k = 0; k < firsts.size(); ++k) {
    size_t end = k + 1 < firsts.size() ? firsts[k + 1] : t.samples.size();
    uint64_t start = t.samples[firsts[k]].decode_time;
    uint64_t stop = end < t.samples.size() ? t.samples[end].decode_time : t.duration();
    segments.push_back({static_cast<uint32_t>(firsts[k]), static_cast<uint32_t>(end - firsts[k]),
                        start, stop - start});
  }
  return segments;
}

// Only what the builders know how to describe: H.264 with an avcC, AAC with an esds.
void check_codec(const TrackSource& s) {
  if (s.track.kind == mp4::TrackKind::video && !s.track.avc)
    throw PackagingError(s.file + " holds " + s.track.codec +
                         " video; only H.264 (avc1) can be packaged");
  if (s.track.kind == mp4::TrackKind::audio && !s.track.aac)
    throw PackagingError(s.file + " holds " + s.track.codec +
                         " audio; only AAC (mp4a) can be packaged");
}

}  // namespace

Presentation build_presentation(std::vector<TrackSource> sources) {
  Presentation p;
  std::stable_sort(sources.begin(), sources.end(),
                   [](const auto& a, const auto& b) { return a.bitrate > b.bitrate; });
  const TrackSource* reference = nullptr;
  for (const auto& s : sources)
    if (s.track.kind == mp4::TrackKind::video && !reference) reference = &s;
  for (const auto& s : sources)
    if (s.track.kind == mp4::TrackKind::audio && !reference) reference = &s;
  if (!reference) throw PackagingError("the asset has no audio or video track to stream");
  std::vector<Instant> cuts = reference_cuts(reference->track);
  for (const auto& s : sources) check_codec(s);
  for (auto& s : sources) {
    if (s.track.kind == mp4::TrackKind::other) continue;
    Rendition r{s.file, s.track_name, s.bitrate, std::move(s.track), {}};
    r.segments = cut(r.file, r.track, cuts);
    p.duration_seconds =
        std::max(p.duration_seconds, double(r.track.duration()) / r.track.timescale);
    (r.track.kind == mp4::TrackKind::video ? p.video : p.audio).push_back(std::move(r));
  }
  return p;
}

}  // namespace twin::package
