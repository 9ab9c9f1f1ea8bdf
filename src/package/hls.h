// HLS (RFC 8216) with fMP4 segments: a master playlist with the audio in a rendition group and
// one variant per video layer, and VOD media playlists. `format` is the URL's format name
// (m3u8-aapl or m3u8-cmaf) and is repeated in every URL the playlists name.
#pragma once

#include <string>

#include "package/presentation.h"

namespace twin::package {

std::string hls_master_playlist(const Presentation& p, const std::string& format);
std::string hls_media_playlist(const Rendition& r, const std::string& format);

}  // namespace twin::package
