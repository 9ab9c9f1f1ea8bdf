// HLS (RFC 8216) with fMP4 segments: a master playlist with the audio in a rendition group and
// one variant per video layer, and VOD media playlists. `format` is the URL's format name
// (m3u8-aapl or m3u8-cmaf) and is repeated in every URL the playlists name.
#pragma once

#include <string>

#include "package/presentation.h"
#include "package/steering.h"

namespace twin::package {

// The path extensions HLS segment URLs carry, so that stock FFmpeg (whose HLS reader accepts
// only segment URLs whose extension matches the detected format, `extension_picky`, on by
// default since 5.1.4) plays them without flags: "Fragments(video=0,format=m3u8-cmaf).m4s".
// The origin serves the same fragments with or without them (Media Services URLs had none).
inline constexpr const char* kSegmentExtension = ".m4s";
inline constexpr const char* kInitExtension = ".mp4";

// With steering: EXT-X-CONTENT-STEERING, then the renditions and variants once per pathway
// ("listed pathways"): absolute URIs, PATHWAY-ID on each, an audio group per pathway.
std::string hls_master_playlist(const Presentation& p, const std::string& format,
                                const ManifestSteering* steering = nullptr);
std::string hls_media_playlist(const Rendition& r, const std::string& format);

}  // namespace twin::package
