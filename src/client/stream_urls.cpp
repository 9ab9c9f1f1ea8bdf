#include "client/stream_urls.h"

#include <cstdint>
#include <pugixml.hpp>

#include "common/strings.h"

namespace twin::client {
namespace {

void replace_all(std::string& text, std::string_view what, const std::string& with) {
  for (size_t i = 0; (i = text.find(what, i)) != std::string::npos; i += with.size())
    text.replace(i, what.size(), with);
}

pugi::xml_document parse_xml(std::string_view text, const char* what) {
  pugi::xml_document doc;
  if (!doc.load_buffer(text.data(), text.size()))
    throw ManifestError(std::string("the ") + what + " is not well-formed XML");
  return doc;
}

// Segment start times of a SegmentTimeline (DASH: r repeats, so r+1 segments).
std::vector<uint64_t> timeline_times(const pugi::xml_node& timeline) {
  std::vector<uint64_t> times;
  uint64_t t = 0;
  for (auto s : timeline.children("S")) {
    if (s.attribute("t")) t = s.attribute("t").as_ullong();
    uint64_t d = s.attribute("d").as_ullong();
    long long r = s.attribute("r").as_llong(0);
    if (r < 0) throw ManifestError("an open-ended SegmentTimeline (r=-1) is not a VOD timeline");
    if (d == 0 || r > 100000) throw ManifestError("a SegmentTimeline entry without a duration");
    for (long long i = 0; i <= r; ++i, t += d) times.push_back(t);
  }
  return times;
}

}  // namespace

std::vector<std::string> hls_uris(std::string_view playlist) {
  std::vector<std::string> out;
  for (std::string_view line : str::split(playlist, '\n')) {
    line = str::trim(line);
    if (line.empty()) continue;
    if (line[0] != '#') {
      out.emplace_back(line);
      continue;
    }
    size_t uri = line.find("URI=\"");
    if (uri == std::string_view::npos) continue;
    size_t end = line.find('"', uri + 5);
    if (end != std::string_view::npos) out.emplace_back(line.substr(uri + 5, end - uri - 5));
  }
  return out;
}

std::vector<std::string> dash_segment_urls(std::string_view mpd) {
  pugi::xml_document doc = parse_xml(mpd, "MPD");
  std::vector<std::string> out;
  for (auto period : doc.child("MPD").children("Period"))
    for (auto set : period.children("AdaptationSet"))
      for (auto rep : set.children("Representation")) {
        pugi::xml_node tmpl = rep.child("SegmentTemplate");
        if (!tmpl) tmpl = set.child("SegmentTemplate");
        if (!tmpl) throw ManifestError("a Representation without a SegmentTemplate");
        auto expand = [&](std::string text, const std::string& time) {
          replace_all(text, "$Bandwidth$", rep.attribute("bandwidth").value());
          replace_all(text, "$RepresentationID$", rep.attribute("id").value());
          replace_all(text, "$Time$", time);
          return text;
        };
        out.push_back(expand(tmpl.attribute("initialization").value(), ""));
        for (uint64_t t : timeline_times(tmpl.child("SegmentTimeline")))
          out.push_back(expand(tmpl.attribute("media").value(), std::to_string(t)));
      }
  return out;
}

std::vector<std::string> smooth_fragment_urls(std::string_view ismc) {
  pugi::xml_document doc = parse_xml(ismc, "client manifest");
  std::vector<std::string> out;
  for (auto stream : doc.child("SmoothStreamingMedia").children("StreamIndex")) {
    std::vector<uint64_t> times;  // Smooth: r is the number of chunks, not of repeats
    uint64_t t = 0;
    for (auto c : stream.children("c")) {
      if (c.attribute("t")) t = c.attribute("t").as_ullong();
      uint64_t d = c.attribute("d").as_ullong();
      long long r = c.attribute("r").as_llong(1);
      if (d == 0 || r < 1 || r > 100000) throw ManifestError("a chunk without a duration");
      for (long long i = 0; i < r; ++i, t += d) times.push_back(t);
    }
    for (auto level : stream.children("QualityLevel"))
      for (uint64_t time : times) {
        std::string url = stream.attribute("Url").value();
        replace_all(url, "{bitrate}", level.attribute("Bitrate").value());
        replace_all(url, "{Bitrate}", level.attribute("Bitrate").value());
        replace_all(url, "{start time}", std::to_string(time));
        replace_all(url, "{start_time}", std::to_string(time));
        out.push_back(std::move(url));
      }
  }
  return out;
}

std::string resolve_url(const std::string& base, const std::string& relative) {
  if (relative.starts_with("http://") || relative.starts_with("https://")) return relative;
  if (relative.starts_with('/')) {
    size_t scheme = base.find("://");
    size_t slash = base.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return base.substr(0, slash) + relative;
  }
  return base.substr(0, base.find_last_of('/') + 1) + relative;
}

}  // namespace twin::client
