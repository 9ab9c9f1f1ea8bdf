#include "encode/audio_track.h"

namespace twin::encode {

AudioTrackEncoder::AudioTrackEncoder(const AVCodecContext* decoder, const AudioSettings& settings,
                                     const std::string& path)
    : writer_(path) {
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
  if (!codec) throw EncodeError("the AAC encoder is not available in this FFmpeg");
  encoder_.reset(avcodec_alloc_context3(codec));
  auto* c = encoder_.get();
  c->sample_rate = settings.sample_rate;
  av_channel_layout_default(&c->ch_layout, settings.channels);
  c->sample_fmt = AV_SAMPLE_FMT_FLTP;
  c->bit_rate = int64_t{settings.bitrate_kbps} * 1000;
  c->time_base = {1, settings.sample_rate};
  c->profile = FF_PROFILE_AAC_LOW;
  c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER | AV_CODEC_FLAG_BITEXACT;
  check(avcodec_open2(c, codec, nullptr), "opening the AAC encoder");
  SwrContext* swr = nullptr;
  check(swr_alloc_set_opts2(&swr, &c->ch_layout, c->sample_fmt, c->sample_rate,
                            const_cast<AVChannelLayout*>(&decoder->ch_layout), decoder->sample_fmt,
                            decoder->sample_rate, 0, nullptr),
        "configuring the resampler");
  resampler_.reset(swr);
  check(swr_init(swr), "starting the resampler");
  fifo_.reset(av_audio_fifo_alloc(c->sample_fmt, c->ch_layout.nb_channels, c->frame_size * 4));
  if (!fifo_) throw EncodeError("out of memory for the audio FIFO");
  stream_ = writer_.add_stream(c);
  writer_.start();
}

void AudioTrackEncoder::push(const AVFrame* decoded) {
  auto* c = encoder_.get();
  int out_samples = swr_get_out_samples(resampler_.get(), decoded ? decoded->nb_samples : 0);
  if (out_samples <= 0) return;
  FramePtr converted = make_frame();
  converted->format = c->sample_fmt;
  converted->sample_rate = c->sample_rate;
  check(av_channel_layout_copy(&converted->ch_layout, &c->ch_layout), "channel layout");
  converted->nb_samples = out_samples;
  check(av_frame_get_buffer(converted.get(), 0), "allocating resampled audio");
  int got = swr_convert(resampler_.get(), converted->data, out_samples,
                        decoded ? const_cast<const uint8_t**>(decoded->extended_data) : nullptr,
                        decoded ? decoded->nb_samples : 0);
  check(got, "resampling audio");
  if (got > 0)
    check(av_audio_fifo_write(fifo_.get(), reinterpret_cast<void**>(converted->data), got),
          "buffering audio");
  drain_fifo(false);
}

void AudioTrackEncoder::drain_fifo(bool flush) {
  auto* c = encoder_.get();
  while (av_audio_fifo_size(fifo_.get()) >= c->frame_size ||
         (flush && av_audio_fifo_size(fifo_.get()) > 0)) {
    int n = std::min(av_audio_fifo_size(fifo_.get()), c->frame_size);
    FramePtr frame = make_frame();
    frame->format = c->sample_fmt;
    frame->sample_rate = c->sample_rate;
    check(av_channel_layout_copy(&frame->ch_layout, &c->ch_layout), "channel layout");
    frame->nb_samples = n;
    check(av_frame_get_buffer(frame.get(), 0), "allocating an audio frame");
    check(av_audio_fifo_read(fifo_.get(), reinterpret_cast<void**>(frame->data), n),
          "reading buffered audio");
    frame->pts = next_pts_;
    next_pts_ += n;
    encode(frame.get());
  }
}

void AudioTrackEncoder::encode(AVFrame* frame) {
  bytes_ += encode_into(encoder_.get(), frame, writer_, stream_);
}

void AudioTrackEncoder::finish() {
  push(nullptr);  // what the resampler still holds
  drain_fifo(true);
  encode(nullptr);
  writer_.finish();
}

}  // namespace twin::encode
