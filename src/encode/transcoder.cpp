#include "encode/transcoder.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "encode/audio_track.h"
#include "encode/av.h"
#include "encode/ism.h"
#include "encode/video_layer.h"
#include "mp4/movie.h"
#include "package/smooth_manifest.h"

extern "C" {
#include <libavutil/display.h>
}

namespace twin::encode {
namespace {

struct Decoder {
  int stream_index = -1;
  CodecPtr codec;
};

Decoder open_decoder(AVFormatContext* input, AVMediaType type) {
  Decoder d;
  const AVCodec* codec = nullptr;
  d.stream_index = av_find_best_stream(input, type, -1, -1, &codec, 0);
  if (d.stream_index < 0) return d;
  if (!codec)
    throw EncodeError("no decoder for the source's " + std::string(av_get_media_type_string(type)) +
                      " codec");
  d.codec.reset(avcodec_alloc_context3(codec));
  check(avcodec_parameters_to_context(d.codec.get(), input->streams[d.stream_index]->codecpar),
        "decoder parameters");
  d.codec->thread_count = 0;
  check(avcodec_open2(d.codec.get(), codec, nullptr), "opening the decoder");
  return d;
}

AVRational source_frame_rate(const AVStream* s) {
  AVRational r = s->avg_frame_rate;
  if (r.num <= 0 || r.den <= 0) r = s->r_frame_rate;
  if (r.num <= 0 || r.den <= 0) r = {25, 1};
  return r;
}

// Removes what an encode wrote unless it completed.
struct OutputGuard {
  std::vector<std::string> paths;
  bool keep = false;
  ~OutputGuard() {
    if (keep) return;
    for (const auto& p : paths) std::filesystem::remove(p);
  }
};

std::string audio_track_name(int channels, uint64_t bitrate, uint32_t track_id) {
  return "aac_und_" + std::to_string(channels) + "_" + std::to_string(bitrate) + "_" +
         std::to_string(track_id) + "_1";
}

// The .ism for the origin and the .ismc (the Smooth client manifest the origin will serve),
// both from the files as written: track ids and timing are read back from the MP4s.
void write_manifests(const std::string& dir, const EncodeResult& result, int channels) {
  std::vector<IsmTrack> ism;
  std::vector<package::TrackSource> sources;
  for (const auto& f : result.files) {
    mp4::Movie movie = mp4::read_movie(dir + "/" + f.name);
    mp4::Track& track = movie.tracks.front();
    std::string name = f.audio ? audio_track_name(channels, f.bitrate, track.id) : "video";
    ism.push_back({f.name, f.audio, f.bitrate, static_cast<int>(track.id), name});
    sources.push_back({f.name, name, f.bitrate, std::move(track)});
  }
  std::ofstream(dir + "/" + result.ism_name, std::ios::binary) << write_ism(ism, result.ismc_name);
  std::ofstream(dir + "/" + result.ismc_name, std::ios::binary)
      << package::smooth_manifest(package::build_presentation(std::move(sources)));
}

}  // namespace

EncodeResult encode_file(const EncodeRequest& req) {
  av_log_set_level(AV_LOG_ERROR);  // libav's chatter is not our log; errors come back as text
  AVFormatContext* raw = nullptr;
  int rc = avformat_open_input(&raw, req.input_path.c_str(), nullptr, nullptr);
  if (rc < 0) throw EncodeError("cannot read the input: " + av_error_text(rc));
  InputPtr input(raw);
  check(avformat_find_stream_info(input.get(), nullptr), "the input is not a readable media file");
  Decoder video = open_decoder(input.get(), AVMEDIA_TYPE_VIDEO);
  if (video.stream_index < 0) throw EncodeError("the input has no video stream");
  Decoder audio = req.preset.audio ? open_decoder(input.get(), AVMEDIA_TYPE_AUDIO) : Decoder{};
  const AVStream* vstream = input->streams[video.stream_index];
  if (const uint8_t* matrix =
          av_stream_get_side_data(vstream, AV_PKT_DATA_DISPLAYMATRIX, nullptr)) {
    double angle = av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
    if (std::isfinite(angle) && std::lround(angle) % 360 != 0)
      throw EncodeError("the input carries rotation metadata (" +
                        std::to_string(std::lround(angle)) +
                        " degrees), which this encoder does not apply yet; rotate the file first");
  }

  VideoSource source{video.codec->width, video.codec->height, video.codec->pix_fmt,
                     source_frame_rate(vstream)};
  if (source.width <= 0 || source.height <= 0 || source.pix_fmt == AV_PIX_FMT_NONE)
    throw EncodeError("the video stream has no usable picture size or pixel format");
  int gop = std::max(1, static_cast<int>(std::lround(av_q2d(source.frame_rate) *
                                                     req.preset.keyframe_interval_seconds)));
  double duration = input->duration > 0 ? input->duration / double(AV_TIME_BASE) : 0;
  std::string basename = req.basename.empty() ? basename_of(req.input_path) : req.basename;
  std::filesystem::create_directories(req.output_dir);

  EncodeResult result;
  OutputGuard guard;
  auto layers = layers_for_source(req.preset, source.width, source.height);
  // One libx264 thread per layer unless asked: x264's frame threads made the output differ from
  // run to run (measured), and the layers already run in parallel.
  const int threads_per_layer = std::max(1, req.x264_threads);
  std::vector<std::unique_ptr<VideoLayerEncoder>> encoders;
  std::vector<bool> roots;  // fed by the decoder rather than by a larger layer
  for (const auto& layer : layers) {
    // Scale from the smallest larger-or-equal layer already set up, else from the source.
    VideoLayerEncoder* parent = nullptr;
    VideoSource from = source;
    for (size_t i = encoders.size(); i-- > 0;)
      if (layers[i].width >= layer.width && layers[i].height >= layer.height) {
        parent = encoders[i].get();
        from = {layers[i].width, layers[i].height, AV_PIX_FMT_YUV420P, source.frame_rate};
        break;
      }
    std::string name = output_name(req.preset.file_name, basename, layer);
    guard.paths.push_back(req.output_dir + "/" + name);
    encoders.push_back(std::make_unique<VideoLayerEncoder>(layer, from, gop, req.x264_preset,
                                                           threads_per_layer, guard.paths.back()));
    if (parent) parent->feed(encoders.back().get());
    roots.push_back(parent == nullptr);
    result.files.push_back({name, false, layer.width, layer.height, 0});
  }
  std::unique_ptr<AudioTrackEncoder> audio_out;
  if (audio.stream_index >= 0) {
    std::string name = basename + "_AAC_" + std::to_string(req.preset.audio->bitrate_kbps) + ".mp4";
    guard.paths.push_back(req.output_dir + "/" + name);
    audio_out = std::make_unique<AudioTrackEncoder>(audio.codec.get(), *req.preset.audio,
                                                    guard.paths.back());
    result.files.push_back({name, true, 0, 0, 0});
  }

  PacketPtr packet = make_packet();
  FramePtr frame = make_frame();
  int64_t frames = 0;
  int last_percent = -1;
  auto drain = [&](Decoder& d, bool is_video) {
    while (true) {
      int r = avcodec_receive_frame(d.codec.get(), frame.get());
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
      check(r, "decoding the input");
      if (is_video) {
        for (size_t i = 0; i < encoders.size(); ++i)
          if (roots[i]) encoders[i]->push(frame.get(), frames);
        ++frames;
      } else {
        audio_out->push(frame.get());
      }
      av_frame_unref(frame.get());
    }
  };
  while (true) {
    if (req.cancel && req.cancel->load()) throw EncodeError("the encode was cancelled");
    int r = av_read_frame(input.get(), packet.get());
    if (r == AVERROR_EOF) break;
    check(r, "reading the input");
    Decoder* d = packet->stream_index == video.stream_index   ? &video
                 : packet->stream_index == audio.stream_index ? &audio
                                                              : nullptr;
    if (d) {
      if (d == &video && duration > 0 && req.on_progress && packet->pts != AV_NOPTS_VALUE) {
        int percent = static_cast<int>(
            std::clamp(100.0 * packet->pts * av_q2d(vstream->time_base) / duration, 0.0, 99.0));
        if (percent != last_percent) req.on_progress(last_percent = percent);
      }
      int sent = avcodec_send_packet(d->codec.get(), packet.get());
      if (sent < 0 && sent != AVERROR_INVALIDDATA) check(sent, "decoding the input");
      drain(*d, d == &video);
    }
    av_packet_unref(packet.get());
  }
  avcodec_send_packet(video.codec.get(), nullptr);
  drain(video, true);
  if (audio_out) {
    avcodec_send_packet(audio.codec.get(), nullptr);
    drain(audio, false);
  }
  if (frames == 0) throw EncodeError("the input has no decodable video frames");
  for (auto& e : encoders) e->finish();
  if (audio_out) audio_out->finish();

  result.duration_seconds = frames / av_q2d(source.frame_rate);
  for (size_t i = 0; i < encoders.size(); ++i)
    result.files[i].bitrate =
        static_cast<uint64_t>(std::llround(encoders[i]->bytes() * 8.0 / result.duration_seconds));
  if (audio_out)
    result.files.back().bitrate =
        static_cast<uint64_t>(std::llround(audio_out->bytes() * 8.0 / result.duration_seconds));

  result.ism_name = basename + ".ism";
  result.ismc_name = basename + ".ismc";
  guard.paths.push_back(req.output_dir + "/" + result.ism_name);
  guard.paths.push_back(req.output_dir + "/" + result.ismc_name);
  try {
    write_manifests(req.output_dir, result, req.preset.audio ? req.preset.audio->channels : 2);
  } catch (const std::runtime_error& e) {  // our own files failed to read back: a bug, say so
    throw EncodeError(std::string("writing the manifests: ") + e.what());
  }
  if (req.on_progress) req.on_progress(100);
  guard.keep = true;
  return result;
}

}  // namespace twin::encode
