// Synthetic tracks for the packaging tests: regular samples with keyframes every `gop`.
#pragma once

#include "mp4/movie.h"

namespace twin::package::testing {

inline mp4::Track video_track(uint32_t timescale, uint32_t frame, size_t frames, size_t gop,
                              int width = 640, int height = 360) {
  mp4::Track t;
  t.kind = mp4::TrackKind::video;
  t.codec = "avc1";
  t.id = 1;
  t.timescale = timescale;
  t.width = width;
  t.height = height;
  t.avc = mp4::AvcConfig{{{0x67, 0x64, 0x00, 0x1f, 0xac}}, {{0x68, 0xeb}}, 4};
  for (size_t i = 0; i < frames; ++i)
    t.samples.push_back({1000 * i, i * frame, 0, 1000, frame, i % gop == 0});
  return t;
}

inline mp4::Track audio_track(size_t frames) {
  mp4::Track t;
  t.kind = mp4::TrackKind::audio;
  t.codec = "mp4a";
  t.id = 1;
  t.timescale = 48000;
  t.aac = mp4::AacConfig{{0x11, 0x90}, 2, 48000, 2};
  for (size_t i = 0; i < frames; ++i) t.samples.push_back({400 * i, i * 1024, 0, 400, 1024, true});
  return t;
}

}  // namespace twin::package::testing
