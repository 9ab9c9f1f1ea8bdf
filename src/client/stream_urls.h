// The URLs a streaming manifest refers to, as a player would find them: HLS playlists and
// segments, DASH segments expanded from a SegmentTemplate and its SegmentTimeline, Smooth
// fragments from the client manifest's chunks. `verify` fetches every one from both origins.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace twin::client {

struct ManifestError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// URIs in an HLS playlist (master or media), as written: variant and rendition playlists,
// EXT-X-MAP and segments.
std::vector<std::string> hls_uris(std::string_view playlist);
// Every initialization and media segment of every Representation, relative to the MPD.
std::vector<std::string> dash_segment_urls(std::string_view mpd);
// Every fragment of every quality level of every stream, relative to the client manifest.
std::vector<std::string> smooth_fragment_urls(std::string_view ismc);

// base "http://h/a/b.ism/manifest", relative "QualityLevels(1)/x" →
// "http://h/a/b.ism/QualityLevels(1)/x"
std::string resolve_url(const std::string& base, const std::string& relative);

}  // namespace twin::client
