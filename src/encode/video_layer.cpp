#include "encode/video_layer.h"

extern "C" {
#include <libavutil/opt.h>
}

namespace twin::encode {
namespace {
constexpr size_t kQueueFrames = 8;
}

VideoLayerEncoder::VideoLayerEncoder(const VideoLayer& layer, const VideoSource& source,
                                     int gop_frames, const std::string& x264_preset, int threads,
                                     const std::string& path)
    : layer_(layer), gop_frames_(gop_frames), writer_(path) {
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (!codec) throw EncodeError("libx264 is not available in this FFmpeg");
  encoder_.reset(avcodec_alloc_context3(codec));
  auto* c = encoder_.get();
  c->width = layer.width;
  c->height = layer.height;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->time_base = av_inv_q(source.frame_rate);
  c->framerate = source.frame_rate;
  c->sample_aspect_ratio = {1, 1};
  c->bit_rate = int64_t{layer.bitrate_kbps} * 1000;
  c->rc_max_rate = int64_t{layer.max_bitrate_kbps} * 1000;
  c->rc_buffer_size = static_cast<int>(c->rc_max_rate * layer.buffer_window_seconds);
  c->gop_size = gop_frames;
  c->keyint_min = gop_frames;
  c->max_b_frames = layer.b_frames;
  c->refs = layer.reference_frames;
  c->thread_count = threads;
  c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER | AV_CODEC_FLAG_CLOSED_GOP;
  c->flags |= AV_CODEC_FLAG_BITEXACT;
  av_opt_set(c->priv_data, "preset", x264_preset.c_str(), 0);
  // Keyframes only where we force them: every layer cuts at the same instants.
  std::string params = "scenecut=0:open-gop=0:b-adapt=1:keyint=" + std::to_string(gop_frames) +
                       ":min-keyint=" + std::to_string(gop_frames);
  av_opt_set(c->priv_data, "x264-params", params.c_str(), 0);
  av_opt_set(c->priv_data, "forced-idr", "1", 0);
  check(avcodec_open2(c, codec, nullptr), "opening libx264 for " + path);
  scaler_.reset(sws_getContext(
      source.width, source.height, source.pix_fmt, layer.width, layer.height, AV_PIX_FMT_YUV420P,
      SWS_BICUBIC | SWS_ACCURATE_RND | SWS_BITEXACT, nullptr, nullptr, nullptr));
  if (!scaler_) throw EncodeError("cannot scale the source pixel format to yuv420p");
  stream_ = writer_.add_stream(c);
  writer_.start();
  thread_ = std::thread([this] { run(); });
}

// Destroyed without finish(): the encode failed or was cancelled, and the file will be removed.
// Drop the queued frames and skip the flush: draining the queue and x264's lookahead (40
// frames at "medium") through every layer took 1.4 s after a cancel on a loaded machine.
VideoLayerEncoder::~VideoLayerEncoder() {
  {
    std::lock_guard lock(mutex_);
    closed_ = abandoned_ = true;
    queue_.clear();
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void VideoLayerEncoder::push(const AVFrame* frame, int64_t index) {
  FramePtr ref = make_frame();
  check(av_frame_ref(ref.get(), frame), "referencing a frame");
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queue_.size() < kQueueFrames || !error_.empty() || closed_; });
  if (!error_.empty()) throw EncodeError(error_);
  if (closed_) throw EncodeError("the layer encoder is closed");
  queue_.emplace_back(std::move(ref), index);
  changed_.notify_all();
}

void VideoLayerEncoder::run() {
  try {
    while (true) {
      std::pair<FramePtr, int64_t> item;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return closed_ || !queue_.empty(); });
        if (abandoned_) return;
        if (queue_.empty()) break;
        item = std::move(queue_.front());
        queue_.pop_front();
        changed_.notify_all();
      }
      FramePtr scaled = make_frame();
      scaled->format = AV_PIX_FMT_YUV420P;
      scaled->width = layer_.width;
      scaled->height = layer_.height;
      check(av_frame_get_buffer(scaled.get(), 0), "allocating a scaled frame");
      sws_scale(scaler_.get(), item.first->data, item.first->linesize, 0, item.first->height,
                scaled->data, scaled->linesize);
      scaled->pts = item.second;
      for (auto* child : children_) child->push(scaled.get(), item.second);
      scaled->pict_type = item.second % gop_frames_ == 0 ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
      encode(scaled.get());
    }
    encode(nullptr);
    writer_.finish();
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    error_ = e.what();
    changed_.notify_all();
  }
}

void VideoLayerEncoder::encode(AVFrame* frame) {
  bytes_ += encode_into(encoder_.get(), frame, writer_, stream_);
}

void VideoLayerEncoder::finish() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (!error_.empty()) throw EncodeError(error_);
}

}  // namespace twin::encode
