#include "package/smooth_manifest.h"

#include <algorithm>

#include "common/strings.h"
#include "package/manifest_text.h"

namespace twin::package {
namespace {

// <c> elements: the first with its start time, then durations, equal runs folded with r (the
// total number of fragments in the run, as Smooth 2.2 counts them).
std::string chunk_elements(const std::vector<uint64_t>& times, bool legacy_v20) {
  std::string out;
  if (legacy_v20) {
    for (size_t i = 0; i + 1 < times.size(); ++i)
      out += "    <c" + attr("n", i) + attr("d", times[i + 1] - times[i]) + " />\n";
    return out;
  }
  for (const auto& run : duration_runs(times)) {
    out += "    <c";
    if (run.start == times[0]) out += attr("t", run.start);
    out += attr("d", run.duration);
    if (run.count > 1) out += attr("r", run.count);
    out += " />\n";
  }
  return out;
}

std::string audio_stream(const Rendition& r, bool legacy_v20) {
  const auto& aac = *r.track.aac;
  std::string url = "QualityLevels({bitrate})/Fragments(" + r.track_name + "={start time})";
  auto times = smooth_fragment_times(r);
  std::string out = "  <StreamIndex" + attr("Chunks", times.size() - 1) + attr("Type", "audio") +
                    attr("Url", url) + attr("QualityLevels", 1) +
                    attr("Language", audio_language(r)) + attr("Name", r.track_name) + ">\n";
  out += "    <QualityLevel" + attr("AudioTag", 255) + attr("Index", 0) +
         attr("BitsPerSample", 16) + attr("Bitrate", r.bitrate) + attr("FourCC", "AACL") +
         attr("CodecPrivateData", mp4::hex_upper(aac.audio_specific_config)) +
         attr("Channels", aac.channels) + attr("PacketSize", 2 * aac.channels) +
         attr("SamplingRate", aac.sample_rate) + " />\n";
  return out + chunk_elements(times, legacy_v20) + "  </StreamIndex>\n";
}

std::string video_stream(const std::vector<Rendition>& video, bool legacy_v20) {
  int max_width = 0, max_height = 0;
  for (const auto& r : video) {
    max_width = std::max(max_width, r.track.width);
    max_height = std::max(max_height, r.track.height);
  }
  auto times = smooth_fragment_times(video.front());
  std::string out = "  <StreamIndex" + attr("Chunks", times.size() - 1) + attr("Type", "video") +
                    attr("Url", "QualityLevels({bitrate})/Fragments(video={start time})") +
                    attr("QualityLevels", video.size()) + attr("MaxWidth", max_width) +
                    attr("MaxHeight", max_height) + attr("DisplayWidth", max_width) +
                    attr("DisplayHeight", max_height) + attr("Name", "video") + ">\n";
  for (size_t i = 0; i < video.size(); ++i) {
    const auto& r = video[i];
    out += "    <QualityLevel" + attr("Index", i) + attr("Bitrate", r.bitrate) +
           attr("FourCC", "H264") + attr("MaxWidth", r.track.width) +
           attr("MaxHeight", r.track.height) + attr("CodecPrivateData", r.track.avc->annexb_hex()) +
           " />\n";
  }
  return out + chunk_elements(times, legacy_v20) + "  </StreamIndex>\n";
}

}  // namespace

std::vector<uint64_t> smooth_fragment_times(const Rendition& r) {
  std::vector<uint64_t> times;
  for (const auto& s : r.segments)
    times.push_back(mp4::rescale(s.start, r.track.timescale, kSmoothTimescale));
  times.push_back(mp4::rescale(r.track.duration(), r.track.timescale, kSmoothTimescale));
  return times;
}

std::string audio_language(const Rendition& r) {
  auto parts = str::split(r.track_name, '_');
  if (parts.size() > 1 && parts[0] == "aac" && parts[1].size() == 3) return std::string(parts[1]);
  return "und";
}

std::string smooth_manifest(const Presentation& p, bool legacy_v20) {
  uint64_t duration = 0;
  for (const auto* group : {&p.video, &p.audio})
    for (const auto& r : *group) duration = std::max(duration, smooth_fragment_times(r).back());
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SmoothStreamingMedia" +
                    attr("MajorVersion", 2) + attr("MinorVersion", legacy_v20 ? 0 : 2) +
                    attr("Duration", duration) + attr("TimeScale", kSmoothTimescale) + ">\n";
  for (const auto& r : p.audio)
    if (r.track.aac) out += audio_stream(r, legacy_v20);
  if (!p.video.empty()) out += video_stream(p.video, legacy_v20);
  return out + "</SmoothStreamingMedia>\n";
}

}  // namespace twin::package
