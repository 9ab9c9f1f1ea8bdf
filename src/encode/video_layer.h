// One rung of the ladder: scales decoded frames to the layer's size and encodes them with
// libx264 on its own thread into its own MP4. Frames arrive through a small bounded queue, so
// memory stays flat however long the source is.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "encode/av.h"
#include "encode/preset.h"

namespace twin::encode {

struct VideoSource {
  int width = 0, height = 0;
  AVPixelFormat pix_fmt = AV_PIX_FMT_NONE;
  AVRational frame_rate{25, 1};
};

class VideoLayerEncoder {
 public:
  VideoLayerEncoder(const VideoLayer& layer, const VideoSource& source, int gop_frames,
                    const std::string& x264_preset, int threads, const std::string& path);
  ~VideoLayerEncoder();
  // Queues a reference to the frame (index = its position in the source); blocks while full.
  void push(const AVFrame* frame, int64_t index);
  // Layers no larger than this one scale from its scaled frames instead of from the source: a
  // 1080p source is scaled once to 720p, the 540p layers from that, and so on.
  void feed(VideoLayerEncoder* smaller) { children_.push_back(smaller); }
  // Flushes the encoder and closes the file; rethrows an error of the encoding thread.
  void finish();
  uint64_t bytes() const { return bytes_; }

 private:
  void run();
  void encode(AVFrame* frame);

  VideoLayer layer_;
  int gop_frames_;
  CodecPtr encoder_;
  SwsPtr scaler_;
  Mp4Writer writer_;
  AVStream* stream_ = nullptr;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<FramePtr, int64_t>> queue_;
  bool closed_ = false;
  bool abandoned_ = false;  // destroyed before finish(): stop without flushing
  std::string error_;
  uint64_t bytes_ = 0;
  std::vector<VideoLayerEncoder*> children_;
  std::thread thread_;
};

}  // namespace twin::encode
