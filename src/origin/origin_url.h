// The streaming URL grammar, as Media Services streaming endpoints had it:
//   /<locator guid>/<name>.ism/manifest[(format=…)]                           manifests
//   /<locator guid>/<name>.ism/QualityLevels(<bps>)/Manifest(<stream>,format=…)  HLS media playlist
//   /<locator guid>/<name>.ism/QualityLevels(<bps>)/Fragments(<stream>=<t|i>[,format=…])
//   /<locator guid>/<file>                                                    progressive download
// "manifest" and the other keywords match without case, as the service did.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace twin::origin {

enum class Format { smooth, smooth_v20, hls, hls_cmaf, dash, dash_cmaf };

enum class Resource { manifest, media_playlist, fragment, init_segment, file };

struct OriginRequest {
  std::string locator;    // lower-case GUID
  std::string ism_name;   // "clip.ism"; empty for a file
  std::string file_name;  // for Resource::file
  Resource resource = Resource::file;
  Format format = Format::smooth;
  std::string format_name;  // as it appears in URLs: "m3u8-aapl", …; empty for Smooth
  uint64_t bitrate = 0;
  std::string stream;  // "video" or the audio track name
  uint64_t time = 0;   // fragment start, 10 MHz
};

struct UrlError {
  unsigned status;
  std::string message;
};

// Parses a decoded path. Returns the request, or the status (404 for what names nothing, 400 for
// an unknown format) and a message naming the problem.
std::variant<OriginRequest, UrlError> parse_origin_url(std::string_view path);

}  // namespace twin::origin
