#include "origin/origin_url.h"

#include <cctype>
#include <charconv>

#include "common/ids.h"
#include "common/strings.h"

namespace twin::origin {
namespace {

// "format=m3u8-aapl" among comma-separated options; other options are ignored.
std::optional<UrlError> apply_format(OriginRequest& r, std::string_view options) {
  for (auto option : str::split(options, ',')) {
    option = str::trim(option);
    if (!str::istarts_with(option, "format=")) continue;
    std::string name = str::to_lower(option.substr(7));
    static const std::pair<const char*, Format> known[] = {{"fmp4-v20", Format::smooth_v20},
                                                           {"m3u8-aapl", Format::hls},
                                                           {"m3u8-cmaf", Format::hls_cmaf},
                                                           {"mpd-time-csf", Format::dash},
                                                           {"mpd-time-cmaf", Format::dash_cmaf}};
    bool found = false;
    for (const auto& [text, format] : known)
      if (name == text) {
        r.format = format;
        r.format_name = name;
        found = true;
      }
    if (!found)
      return UrlError{400, "the format '" + name +
                               "' is not supported (m3u8-aapl, m3u8-cmaf, "
                               "mpd-time-csf, mpd-time-cmaf, fmp4-v20)"};
  }
  return std::nullopt;
}

bool parse_number(const std::string& text, uint64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// "name(inner)" at the start of text, without case for the name: the inner text, and the rest.
bool call(std::string_view text, std::string_view name, std::string_view& inner,
          std::string_view& rest) {
  if (!str::istarts_with(text, name) || text.size() <= name.size() || text[name.size()] != '(')
    return false;
  auto close = text.find(')', name.size());
  if (close == std::string_view::npos) return false;
  inner = text.substr(name.size() + 1, close - name.size() - 1);
  rest = text.substr(close + 1);
  return true;
}

std::variant<OriginRequest, UrlError> parse_ism_part(OriginRequest r, std::string_view rest) {
  std::string_view inner, after, options, extension;
  if (str::iequals(rest, "manifest")) {
    r.resource = Resource::manifest;
  } else if (call(rest, "manifest", inner, after) && after.empty()) {
    r.resource = Resource::manifest;
    options = inner;
  } else if (call(rest, "QualityLevels", inner, after) && after.size() > 1 && after[0] == '/') {
    if (!parse_number(std::string(inner), r.bitrate))
      return UrlError{404, "bad QualityLevels bitrate"};
    std::string_view args, tail;
    if (call(after.substr(1), "Manifest", args, tail) && tail.empty()) {
      r.resource = Resource::media_playlist;
      auto comma = args.find(',');
      r.stream = std::string(args.substr(0, comma));
      options = comma == std::string_view::npos ? "" : args.substr(comma + 1);
    } else if (call(after.substr(1), "Fragments", args, tail) &&
               (tail.empty() || tail == ".m4s" || tail == ".mp4")) {
      extension = tail;
      auto eq = args.find('='), comma = args.find(',');
      if (eq == std::string_view::npos || (comma != std::string_view::npos && comma < eq))
        return UrlError{404, "a fragment needs <stream>=<time>"};
      r.stream = std::string(args.substr(0, eq));
      std::string at(args.substr(
          eq + 1, comma == std::string_view::npos ? std::string_view::npos : comma - eq - 1));
      options = comma == std::string_view::npos ? "" : args.substr(comma + 1);
      r.resource = at == "i" ? Resource::init_segment : Resource::fragment;
      // The HLS playlists name init segments ".mp4" and media segments ".m4s"
      // (package::kInitExtension, kSegmentExtension); nothing else carries an extension.
      if (!extension.empty() && extension != (at == "i" ? ".mp4" : ".m4s"))
        return UrlError{404, "a fragment URL with the wrong extension"};
      if (at != "i" && !parse_number(at, r.time))
        return UrlError{404, "bad fragment time '" + at + "'"};
    } else {
      return UrlError{404, "nothing is served at '" + std::string(rest) + "' under a .ism"};
    }
    if (r.stream.empty()) return UrlError{404, "no stream named"};
  } else {
    return UrlError{404, "nothing is served at '" + std::string(rest) + "' under a .ism"};
  }
  if (auto error = apply_format(r, options)) return *error;
  bool hls = r.format == Format::hls || r.format == Format::hls_cmaf;
  if (!extension.empty() && !hls) return UrlError{404, "only HLS fragment URLs have an extension"};
  if (r.resource == Resource::media_playlist && !hls)
    return UrlError{404, "media playlists exist for HLS formats only"};
  if (r.resource == Resource::init_segment &&
      (r.format == Format::smooth || r.format == Format::smooth_v20))
    return UrlError{404, "Smooth has no init segment (clients build it from the manifest)"};
  return r;
}

}  // namespace

std::variant<OriginRequest, UrlError> parse_origin_url(std::string_view path) {
  if (path.empty() || path[0] != '/') return UrlError{404, "not a streaming URL"};
  auto slash = path.find('/', 1);
  if (slash == std::string_view::npos) return UrlError{404, "no file named after the locator"};
  std::string_view guid = path.substr(1, slash - 1);
  if (!ids::is_guid(guid)) return UrlError{404, "'" + std::string(guid) + "' is not a locator id"};
  OriginRequest r;
  r.locator = str::to_lower(guid);
  std::string rest(path.substr(slash + 1));
  auto ism = std::string::npos;
  for (size_t i = 0; i + 5 <= rest.size() && ism == std::string::npos; ++i)
    if (rest[i] == '.' && str::istarts_with(std::string_view(rest).substr(i), ".ism/")) ism = i;
  if (ism == std::string::npos) {
    if (rest.empty() || rest.find('/') != std::string::npos)
      return UrlError{404, "no file '" + rest + "' in a published asset"};
    r.resource = Resource::file;
    r.file_name = rest;
    return r;
  }
  r.ism_name = rest.substr(0, ism + 4);
  return parse_ism_part(r, rest.substr(ism + 5));
}

}  // namespace twin::origin
