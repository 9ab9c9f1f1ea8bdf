#include "package/dash.h"

#include <cstdio>

#include "package/manifest_text.h"
#include "package/renditions.h"
#include "package/smooth_manifest.h"

namespace twin::package {
namespace {

std::string iso_duration(uint64_t hns) {
  char text[48];
  std::snprintf(text, sizeof text, "PT%llu.%03lluS",
                static_cast<unsigned long long>(hns / kSmoothTimescale),
                static_cast<unsigned long long>(hns % kSmoothTimescale / 10000));
  return text;
}

// S elements: the first with t, then d with r counting the extra repeats (DASH's r).
std::string timeline(const Rendition& r) {
  auto times = smooth_fragment_times(r);
  std::string out = "        <SegmentTimeline>\n";
  for (const auto& run : duration_runs(times)) {
    out += "          <S";
    if (run.start == times[0]) out += attr("t", run.start);
    out += attr("d", run.duration);
    if (run.count > 1) out += attr("r", run.count - 1);
    out += " />\n";
  }
  return out + "        </SegmentTimeline>\n";
}

std::string segment_template(const Rendition& r, const std::string& format) {
  std::string name = stream_name(r);
  return "      <SegmentTemplate" + attr("timescale", kSmoothTimescale) +
         attr("initialization",
              "QualityLevels($Bandwidth$)/Fragments(" + name + "=i,format=" + format + ")") +
         attr("media",
              "QualityLevels($Bandwidth$)/Fragments(" + name + "=$Time$,format=" + format + ")") +
         ">\n" + timeline(r) + "      </SegmentTemplate>\n";
}

std::string video_set(const Presentation& p, const std::string& format) {
  int max_width = 0, max_height = 0;
  for (const auto& v : p.video) {
    max_width = std::max(max_width, v.track.width);
    max_height = std::max(max_height, v.track.height);
  }
  std::string out = "    <AdaptationSet" + attr("id", 1) + attr("contentType", "video") +
                    attr("mimeType", "video/mp4") + attr("segmentAlignment", "true") +
                    attr("startWithSAP", 1) + attr("maxWidth", max_width) +
                    attr("maxHeight", max_height) + attr("frameRate", frame_rate(p.video[0])) +
                    ">\n";
  out += segment_template(p.video[0], format);
  for (const auto& v : p.video)
    out += "      <Representation" + attr("id", "video_" + std::to_string(v.bitrate)) +
           attr("bandwidth", v.bitrate) + attr("codecs", codec_string(v)) +
           attr("width", v.track.width) + attr("height", v.track.height) + attr("sar", "1:1") +
           " />\n";
  return out + "    </AdaptationSet>\n";
}

std::string audio_set(const Rendition& a, size_t id, const std::string& format) {
  std::string out = "    <AdaptationSet" + attr("id", id) + attr("contentType", "audio") +
                    attr("mimeType", "audio/mp4") + attr("lang", audio_language(a)) +
                    attr("segmentAlignment", "true") + attr("startWithSAP", 1) + ">\n";
  out += segment_template(a, format);
  out += "      <Representation" + attr("id", a.track_name) + attr("bandwidth", a.bitrate) +
         attr("codecs", codec_string(a)) + attr("audioSamplingRate", a.track.aac->sample_rate) +
         ">\n        <AudioChannelConfiguration" +
         attr("schemeIdUri", "urn:mpeg:dash:23003:3:audio_channel_configuration:2011") +
         attr("value", a.track.aac->channels) + " />\n      </Representation>\n";
  return out + "    </AdaptationSet>\n";
}

std::string steering_elements(const ManifestSteering& m) {
  std::string out;
  for (const auto& pathway : m.steering.pathways)
    out += "  <BaseURL" + attr("serviceLocation", pathway.id) + ">" +
           xml::escape(m.directory(pathway)) + "</BaseURL>\n";
  return out + "  <ContentSteering" + attr("defaultServiceLocation", m.steering.default_pathway) +
         attr("queryBeforeStart", "true") + ">" + xml::escape(m.steering.server) +
         "</ContentSteering>\n";
}

}  // namespace

std::string dash_mpd(const Presentation& p, const std::string& format,
                     const ManifestSteering* steering) {
  uint64_t duration = 0;
  for (const auto* group : {&p.video, &p.audio})
    for (const auto& r : *group) duration = std::max(duration, smooth_fragment_times(r).back());
  std::string profiles =
      format == "mpd-time-cmaf"
          ? "urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019"
          : "urn:mpeg:dash:profile:isoff-live:2011";
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<MPD" +
                    attr("xmlns", "urn:mpeg:dash:schema:mpd:2011") + attr("profiles", profiles) +
                    attr("type", "static") +
                    attr("mediaPresentationDuration", iso_duration(duration)) +
                    attr("minBufferTime", "PT2S") + ">\n";
  if (steering) out += steering_elements(*steering);
  out += "  <Period" + attr("id", "0") + attr("start", "PT0S") + ">\n";
  if (!p.video.empty()) out += video_set(p, format);
  for (size_t i = 0; i < p.audio.size(); ++i) out += audio_set(p.audio[i], i + 2, format);
  return out + "  </Period>\n</MPD>\n";
}

}  // namespace twin::package
