// Fuzz target: a hostile MP4 through the box reader, the sample index and the packager (what the
// origin does with a file an uploader published). Must throw or succeed, never crash or hang.
#include <cstring>

#include "mp4/movie.h"
#include "package/dash.h"
#include "package/hls.h"
#include "package/presentation.h"
#include "package/smooth_manifest.h"

using namespace twin;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto read_at = [&](uint64_t offset, uint8_t* out, size_t n) {
    if (offset > size || n > size - offset) throw mp4::FormatError("read past the end");
    if (n > 0) std::memcpy(out, data + offset, n);  // data is null for an empty input
  };
  try {
    mp4::Movie movie = mp4::read_movie(read_at, size);
    std::vector<package::TrackSource> sources;
    for (auto& t : movie.tracks) {
      bool audio = t.kind == mp4::TrackKind::audio;
      sources.push_back({audio ? "a.mp4" : "v.mp4", audio ? "aac_und_2_128000_1_1" : "video",
                         128000, std::move(t)});
    }
    auto p = package::build_presentation(std::move(sources));
    package::smooth_manifest(p);
    package::dash_mpd(p, "mpd-time-csf");
    package::hls_master_playlist(p, "m3u8-cmaf");
    for (const auto& r : p.video) package::hls_media_playlist(r, "m3u8-aapl");
  } catch (const std::runtime_error&) {
    // FormatError, PackagingError: refused, as the origin refuses the asset.
  }
  return 0;
}
