// A progressive MP4 read once into a compact index: per track, its codec configuration, its
// sample entry box (reused as is in init segments) and one 32-byte record per sample.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mp4/aac.h"
#include "mp4/avc.h"

namespace twin::mp4 {

struct Sample {
  uint64_t offset = 0;       // in the file
  uint64_t decode_time = 0;  // in the track's timescale, first sample at 0
  int32_t composition_offset = 0;
  uint32_t size = 0;
  uint32_t duration = 0;
  bool sync = false;
};

enum class TrackKind { video, audio, other };

struct Track {
  uint32_t id = 0;
  TrackKind kind = TrackKind::other;
  uint32_t timescale = 0;
  std::string codec;  // the sample entry's type: avc1, mp4a, …
  int width = 0, height = 0;
  std::optional<AvcConfig> avc;
  std::optional<AacConfig> aac;
  std::vector<uint8_t> sample_entry;  // the whole stsd entry box
  // The first edit's media time (samples before it are not presented), 0 without an edit list.
  int64_t edit_media_time = 0;
  std::vector<Sample> samples;

  uint64_t duration() const {
    return samples.empty() ? 0 : samples.back().decode_time + samples.back().duration;
  }
};

struct Movie {
  uint32_t timescale = 0;
  std::vector<Track> tracks;

  const Track* first(TrackKind kind) const;
};

// Parses a moov box payload. Throws FormatError naming what is wrong.
Movie parse_moov(Bytes payload);
// Reads size bytes at offset into out; throws (FormatError for a short read) on failure.
using ReadAt = std::function<void(uint64_t offset, uint8_t* out, size_t size)>;
// Finds and parses the moov of an MP4 of the given size read through read_at.
Movie read_movie(const ReadAt& read_at, uint64_t size);
// Finds and parses the moov of a file (anywhere in it, for files written without faststart).
// Throws FormatError for a file that is not an MP4 or is truncated, std::system_error on I/O.
Movie read_movie(const std::string& path);

}  // namespace twin::mp4
