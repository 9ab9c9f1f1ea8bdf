// The audio of the ladder: decoded audio resampled to the preset's rate and layout and encoded
// as AAC-LC into an audio-only MP4, in whole 1024-sample frames.
#pragma once

#include <string>

#include "encode/av.h"
#include "encode/preset.h"

namespace twin::encode {

class AudioTrackEncoder {
 public:
  AudioTrackEncoder(const AVCodecContext* decoder, const AudioSettings& settings,
                    const std::string& path);
  void push(const AVFrame* decoded);
  void finish();
  uint64_t bytes() const { return bytes_; }

 private:
  void drain_fifo(bool flush);
  void encode(AVFrame* frame);

  CodecPtr encoder_;
  SwrPtr resampler_;
  FifoPtr fifo_;
  Mp4Writer writer_;
  AVStream* stream_ = nullptr;
  int64_t next_pts_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace twin::encode
