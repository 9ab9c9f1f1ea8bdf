#include "package/hls.h"

#include <cmath>
#include <cstdio>

#include "package/renditions.h"
#include "package/smooth_manifest.h"

namespace twin::package {
namespace {

std::string media_playlist_uri(const Rendition& r, const std::string& format) {
  return "QualityLevels(" + std::to_string(r.bitrate) + ")/Manifest(" + stream_name(r) +
         ",format=" + format + ")";
}

std::string seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", s);
  return text;
}

std::string frame_rate_decimal(const Rendition& r) {
  double fps = double(r.track.timescale) / r.track.samples[0].duration;
  char text[16];
  std::snprintf(text, sizeof text, "%.3f", fps);
  return text;
}

}  // namespace

namespace {

// One pathway's renditions and variants. prefix: "" (URIs relative to the playlist) or a
// pathway's directory; pathway: "" or its id, set on every tag.
std::string renditions_and_variants(const Presentation& p, const std::string& format,
                                    const std::string& prefix, const std::string& pathway) {
  std::string group = pathway.empty() ? "audio" : "audio-" + pathway;
  std::string pathway_attr = pathway.empty() ? "" : ",PATHWAY-ID=\"" + pathway + "\"";
  std::string out;
  MeasuredBitrate audio_max;
  std::string audio_codec;
  bool first_audio = true;
  for (const auto& a : p.audio) {
    MeasuredBitrate m = measure(a);
    audio_max.peak = std::max(audio_max.peak, m.peak);
    audio_max.average = std::max(audio_max.average, m.average);
    audio_codec = codec_string(a);
    out += "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"" + group + "\",LANGUAGE=\"" + audio_language(a) +
           "\",NAME=\"" + a.track_name + "\",DEFAULT=" + (first_audio ? "YES" : "NO") +
           ",AUTOSELECT=YES,CHANNELS=\"" + std::to_string(a.track.aac->channels) + "\"" +
           pathway_attr + ",URI=\"" + prefix + media_playlist_uri(a, format) + "\"\n";
    first_audio = false;
  }
  for (const auto& v : p.video) {
    MeasuredBitrate m = measure(v);
    std::string codecs = codec_string(v) + (audio_codec.empty() ? "" : "," + audio_codec);
    out += "#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(m.peak + audio_max.peak) +
           ",AVERAGE-BANDWIDTH=" + std::to_string(m.average + audio_max.average) + ",CODECS=\"" +
           codecs + "\",RESOLUTION=" + std::to_string(v.track.width) + "x" +
           std::to_string(v.track.height) + ",FRAME-RATE=" + frame_rate_decimal(v) +
           (p.audio.empty() ? "" : ",AUDIO=\"" + group + "\"") + ",CLOSED-CAPTIONS=NONE" +
           pathway_attr + "\n" + prefix + media_playlist_uri(v, format) + "\n";
  }
  if (p.video.empty())  // an audio-only asset: its audio renditions are the variants
    for (const auto& a : p.audio)
      out += "#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(measure(a).peak) +
             ",AVERAGE-BANDWIDTH=" + std::to_string(measure(a).average) + ",CODECS=\"" +
             codec_string(a) + "\"" + pathway_attr + "\n" + prefix + media_playlist_uri(a, format) +
             "\n";
  return out;
}

}  // namespace

std::string hls_master_playlist(const Presentation& p, const std::string& format,
                                const ManifestSteering* steering) {
  std::string out = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n";
  if (!steering) return out + renditions_and_variants(p, format, "", "");
  const config::Steering& s = steering->steering;
  out += "#EXT-X-CONTENT-STEERING:SERVER-URI=\"" + s.server + "\",PATHWAY-ID=\"" +
         s.default_pathway + "\"\n";
  for (const auto& pathway : s.pathways)
    out += renditions_and_variants(p, format, steering->directory(pathway), pathway.id);
  return out;
}

std::string hls_media_playlist(const Rendition& r, const std::string& format) {
  auto times = smooth_fragment_times(r);
  long target = 1;
  for (const auto& s : r.segments)
    target = std::max(target, std::lround(double(s.duration) / r.track.timescale));
  std::string name = stream_name(r);
  std::string out = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:" + std::to_string(target) +
                    "\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
                    "#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"Fragments(" +
                    name + "=i,format=" + format + ")" + kInitExtension + "\"\n";
  for (size_t i = 0; i < r.segments.size(); ++i) {
    out += "#EXTINF:" + seconds(double(r.segments[i].duration) / r.track.timescale) + ",\n";
    out += "Fragments(" + name + "=" + std::to_string(times[i]) + ",format=" + format + ")" +
           kSegmentExtension + "\n";
  }
  return out + "#EXT-X-ENDLIST\n";
}

}  // namespace twin::package
