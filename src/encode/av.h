// RAII owners for the libav* objects the encoder uses, and the error text of an AVERROR.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <stdexcept>
#include <string>

#include "encode/errors.h"

namespace twin::encode {

std::string av_error_text(int code);
// Throws EncodeError("<what>: <libav error>") when code < 0.
void check(int code, const std::string& what);

struct FrameFree {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketFree {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct CodecFree {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct InputClose {
  void operator()(AVFormatContext* f) const { avformat_close_input(&f); }
};
struct SwsFree {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};
struct SwrFree {
  void operator()(SwrContext* s) const { swr_free(&s); }
};
struct FifoFree {
  void operator()(AVAudioFifo* f) const { av_audio_fifo_free(f); }
};

using FramePtr = std::unique_ptr<AVFrame, FrameFree>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFree>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecFree>;
using InputPtr = std::unique_ptr<AVFormatContext, InputClose>;
using SwsPtr = std::unique_ptr<SwsContext, SwsFree>;
using SwrPtr = std::unique_ptr<SwrContext, SwrFree>;
using FifoPtr = std::unique_ptr<AVAudioFifo, FifoFree>;

FramePtr make_frame();
PacketPtr make_packet();

// An MP4 being written: opened with moov first (faststart) and no wall-clock metadata.
class Mp4Writer {
 public:
  explicit Mp4Writer(const std::string& path);
  ~Mp4Writer();
  Mp4Writer(const Mp4Writer&) = delete;
  Mp4Writer& operator=(const Mp4Writer&) = delete;
  AVStream* add_stream(const AVCodecContext* encoder);
  void start();
  void write(AVPacket* packet, const AVCodecContext* encoder, AVStream* stream);
  void finish();

 private:
  std::string path_;
  AVFormatContext* ctx_ = nullptr;
  bool started_ = false, finished_ = false;
};

// Sends a frame (nullptr flushes) and writes every packet the encoder returns; the bytes written.
uint64_t encode_into(AVCodecContext* encoder, AVFrame* frame, Mp4Writer& writer, AVStream* stream);

}  // namespace twin::encode
