#include "encode/av.h"

namespace twin::encode {

std::string av_error_text(int code) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(code, buf, sizeof buf);
  return buf;
}

void check(int code, const std::string& what) {
  if (code < 0) throw EncodeError(what + ": " + av_error_text(code));
}

FramePtr make_frame() {
  FramePtr f(av_frame_alloc());
  if (!f) throw EncodeError("out of memory allocating a frame");
  return f;
}

PacketPtr make_packet() {
  PacketPtr p(av_packet_alloc());
  if (!p) throw EncodeError("out of memory allocating a packet");
  return p;
}

Mp4Writer::Mp4Writer(const std::string& path) : path_(path) {
  check(avformat_alloc_output_context2(&ctx_, nullptr, "mp4", path.c_str()), "creating " + path);
  // Same input, same bytes: no encoder version strings, no creation time.
  ctx_->flags |= AVFMT_FLAG_BITEXACT;
  check(avio_open(&ctx_->pb, path.c_str(), AVIO_FLAG_WRITE), "opening " + path);
}

Mp4Writer::~Mp4Writer() {
  if (ctx_) {
    if (ctx_->pb) avio_closep(&ctx_->pb);
    avformat_free_context(ctx_);
  }
}

AVStream* Mp4Writer::add_stream(const AVCodecContext* encoder) {
  AVStream* stream = avformat_new_stream(ctx_, nullptr);
  if (!stream) throw EncodeError("cannot add a stream to " + path_);
  check(avcodec_parameters_from_context(stream->codecpar, encoder), "stream parameters");
  stream->time_base = encoder->time_base;
  return stream;
}

void Mp4Writer::start() {
  AVDictionary* options = nullptr;
  av_dict_set(&options, "movflags", "+faststart", 0);
  int rc = avformat_write_header(ctx_, &options);
  av_dict_free(&options);
  check(rc, "writing the header of " + path_);
  started_ = true;
}

void Mp4Writer::write(AVPacket* packet, const AVCodecContext* encoder, AVStream* stream) {
  // libx264 leaves durations at 0; the MP4 muxer then ends the edit list at the last frame's
  // start, and players drop that frame (ffprobe decoded 99 of 100).
  if (packet->duration == 0 && encoder->codec_type == AVMEDIA_TYPE_VIDEO &&
      encoder->framerate.num > 0)
    packet->duration = av_rescale_q(1, av_inv_q(encoder->framerate), encoder->time_base);
  av_packet_rescale_ts(packet, encoder->time_base, stream->time_base);
  packet->stream_index = stream->index;
  check(av_interleaved_write_frame(ctx_, packet), "writing " + path_);
}

void Mp4Writer::finish() {
  if (!started_ || finished_) return;
  check(av_write_trailer(ctx_), "finishing " + path_);
  finished_ = true;
}

uint64_t encode_into(AVCodecContext* encoder, AVFrame* frame, Mp4Writer& writer, AVStream* stream) {
  check(avcodec_send_frame(encoder, frame), "encoding");
  PacketPtr packet = make_packet();
  uint64_t bytes = 0;
  while (true) {
    int rc = avcodec_receive_packet(encoder, packet.get());
    if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return bytes;
    check(rc, "receiving an encoded packet");
    bytes += static_cast<uint64_t>(packet->size);
    writer.write(packet.get(), encoder, stream);
    av_packet_unref(packet.get());
  }
}

}  // namespace twin::encode
