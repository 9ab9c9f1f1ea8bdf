// Encodes short generated clips and reads the outputs back with libavformat.
#include "encode/transcoder.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "encode/av.h"

#include "common/scratch_dir.h"

namespace twin::encode {
namespace fs = std::filesystem;
namespace {

fs::path work_dir() {
  static ScratchDir dir("encode");
  return dir.path();
}

// A clip from ffmpeg's own test sources.
fs::path make_clip(const std::string& name, const std::string& lavfi_video, bool with_audio) {
  fs::path out = work_dir() / name;
  if (fs::exists(out)) return out;
  std::string cmd = "ffmpeg -nostdin -loglevel error -y -f lavfi -i '" + lavfi_video + "'";
  if (with_audio) cmd += " -f lavfi -i 'sine=frequency=440:sample_rate=44100:duration=6'";
  cmd += " -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 50 -t 6";
  if (with_audio) cmd += " -c:a aac -b:a 96k -shortest";
  cmd += " '" + out.string() + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  return out;
}

// Runs ffmpeg on a lavfi test source with the given output options.
void generate(const fs::path& out, const std::string& lavfi, const std::string& options) {
  std::string cmd = "ffmpeg -nostdin -loglevel error -y -f lavfi -i '" + lavfi + "' " + options +
                    " '" + out.string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

Preset small_ladder() {
  // The structure of "H264 Multiple Bitrate 720p" at test sizes.
  Preset p;
  p.name = "test ladder";
  auto layer = [](int kbps, int w, int h) {
    VideoLayer l;
    l.bitrate_kbps = l.max_bitrate_kbps = kbps;
    l.width = w;
    l.height = h;
    return l;
  };
  p.layers = {layer(500, 640, 360), layer(300, 480, 270), layer(150, 320, 180)};
  p.audio = AudioSettings{"AACLC", 2, 48000, 64};
  return p;
}

struct Probe {
  int video_streams = 0, audio_streams = 0, width = 0, height = 0, sample_rate = 0, channels = 0;
  std::vector<double> keyframes;  // seconds
  double duration = 0;
  double first_pts = -1;      // seconds, the first packet's presentation time
  int non_idr_keyframes = 0;  // keyframes without an IDR slice: a GOP that is not closed
  int leading_pictures = 0;   // frames after a keyframe in decode order shown before it
};

// Whether an AVCC sample (length-prefixed NAL units) holds an IDR slice (nal_unit_type 5).
bool has_idr_slice(const AVPacket& pkt, int length_size) {
  for (int pos = 0; pos + length_size < pkt.size;) {
    uint32_t len = 0;
    for (int i = 0; i < length_size; ++i) len = (len << 8) | pkt.data[pos + i];
    pos += length_size;
    if ((pkt.data[pos] & 0x1f) == 5) return true;
    pos += int(len);
  }
  return false;
}

// A closed GOP starts with an IDR and no frame after it in decode order is presented before it;
// this is what lets every layer's segment start at the keyframe and decode alone.
void check_gop(Probe& p, const AVPacket& pkt, const AVCodecParameters& par, int64_t& gop_pts) {
  if (pkt.flags & AV_PKT_FLAG_KEY) {
    int length_size = par.extradata_size > 4 ? (par.extradata[4] & 3) + 1 : 4;
    p.non_idr_keyframes += !has_idr_slice(pkt, length_size);
    gop_pts = pkt.pts;
  } else if (pkt.pts < gop_pts) {
    ++p.leading_pictures;
  }
}

Probe probe(const fs::path& file) {
  Probe p;
  AVFormatContext* raw = nullptr;
  EXPECT_EQ(avformat_open_input(&raw, file.c_str(), nullptr, nullptr), 0) << file;
  InputPtr in(raw);
  avformat_find_stream_info(in.get(), nullptr);
  for (unsigned i = 0; i < in->nb_streams; ++i) {
    auto* par = in->streams[i]->codecpar;
    if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
      ++p.video_streams;
      p.width = par->width;
      p.height = par->height;
    } else if (par->codec_type == AVMEDIA_TYPE_AUDIO) {
      ++p.audio_streams;
      p.sample_rate = par->sample_rate;
      p.channels = par->ch_layout.nb_channels;
    }
  }
  PacketPtr pkt = make_packet();
  int64_t gop_pts = 0;
  while (av_read_frame(in.get(), pkt.get()) == 0) {
    auto* s = in->streams[pkt->stream_index];
    double pts = pkt->pts * av_q2d(s->time_base);
    if (p.first_pts < 0 || pts < p.first_pts) p.first_pts = pts;
    if (s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) {
      if (pkt->flags & AV_PKT_FLAG_KEY) p.keyframes.push_back(pts);
      check_gop(p, *pkt, *s->codecpar, gop_pts);
    }
    av_packet_unref(pkt.get());
  }
  p.duration = in->duration / double(AV_TIME_BASE);
  return p;
}

// Every video layer in `dir` cuts at the same instants with closed GOPs; returns those instants.
std::vector<double> aligned_keyframes(const fs::path& dir, const EncodeResult& result) {
  std::optional<std::vector<double>> first;
  for (const auto& f : result.files) {
    if (f.audio) continue;
    Probe p = probe(dir / f.name);
    if (!first) first = p.keyframes;
    EXPECT_EQ(p.keyframes, *first) << f.name;
    EXPECT_EQ(p.non_idr_keyframes, 0) << f.name;
    EXPECT_EQ(p.leading_pictures, 0) << f.name;
  }
  return first.value_or(std::vector<double>{});
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The .ismc: every layer, 2 s fragments at the keyframes (6 s clip: three), and the audio.
void check_client_manifest(const fs::path& path, const EncodeResult& result) {
  std::string text = read_all(path);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(text.c_str())) << text;
  auto media = doc.child("SmoothStreamingMedia");
  auto video = media.find_child_by_attribute("StreamIndex", "Type", "video");
  auto audio = media.find_child_by_attribute("StreamIndex", "Type", "audio");
  ASSERT_TRUE(video && audio) << text;
  EXPECT_EQ(video.attribute("QualityLevels").as_int(), 3);
  EXPECT_EQ(video.attribute("Chunks").as_int(), 3);
  // Three full GOPs: all 150 frames (the last one was lost to the edit list before packets
  // carried their duration).
  auto c = video.child("c");
  EXPECT_EQ(c.attribute("d").as_ullong(), 20'000'000u);
  EXPECT_EQ(c.attribute("r").as_int(), 3);
  EXPECT_FALSE(c.next_sibling("c"));
  size_t i = 0;
  for (auto q : video.children("QualityLevel")) {
    EXPECT_EQ(q.attribute("Bitrate").as_ullong(), result.files[i].bitrate);
    EXPECT_EQ(q.attribute("MaxWidth").as_int(), result.files[i++].width);
    EXPECT_EQ(std::string(q.attribute("CodecPrivateData").value()).substr(0, 10), "0000000167");
  }
  EXPECT_EQ(audio.attribute("Chunks").as_int(), 3);
  EXPECT_STREQ(audio.child("QualityLevel").attribute("SamplingRate").value(), "48000");
}

EncodeResult run(const fs::path& input, const std::string& out, Preset preset = small_ladder(),
                 int x264_threads = 1) {
  EncodeRequest req;
  req.input_path = input;
  req.output_dir = work_dir() / out;
  req.basename = "clip";
  req.preset = std::move(preset);
  req.x264_preset = "veryfast";
  req.x264_threads = x264_threads;
  return encode_file(req);
}
}  // namespace

TEST(Transcoder, EncodesAGopAlignedLadderWithAudio) {
  auto input = make_clip("clip.mp4", "testsrc2=size=640x360:rate=25", true);
  std::vector<int> progress;
  EncodeRequest req;
  req.input_path = input;
  req.output_dir = work_dir() / "ladder";
  req.basename = "clip";
  req.preset = small_ladder();
  req.x264_preset = "veryfast";
  req.on_progress = [&](int p) { progress.push_back(p); };
  auto result = encode_file(req);
  ASSERT_EQ(result.files.size(), 4u);
  EXPECT_EQ(result.files[0].name, "clip_640x360_500.mp4");
  EXPECT_EQ(result.files[2].name, "clip_320x180_150.mp4");
  EXPECT_EQ(result.files[3].name, "clip_AAC_64.mp4");
  for (size_t i = 0; i < 3; ++i) {
    Probe p = probe(fs::path(req.output_dir) / result.files[i].name);
    EXPECT_EQ(p.video_streams, 1);
    EXPECT_EQ(p.audio_streams, 0);  // one track per file
    EXPECT_EQ(p.width, result.files[i].width);
    EXPECT_EQ(p.height, result.files[i].height);
    EXPECT_NEAR(p.first_pts, 0.0, 0.001) << result.files[i].name;
  }
  // Every 2 s, no scene cuts, the same in every layer.
  EXPECT_EQ(aligned_keyframes(req.output_dir, result), (std::vector<double>{0, 2, 4}));
  Probe a = probe(fs::path(req.output_dir) / result.files[3].name);
  EXPECT_EQ(a.audio_streams, 1);
  EXPECT_EQ(a.video_streams, 0);
  EXPECT_EQ(a.sample_rate, 48000);
  EXPECT_EQ(a.channels, 2);
  EXPECT_NEAR(a.duration, 6.0, 0.1);     // in sync with the 6 s of video
  EXPECT_NEAR(a.first_pts, 0.0, 0.025);  // starting with it (at most one AAC frame apart)
  std::string ism = read_all(fs::path(req.output_dir) / result.ism_name);
  for (const auto& f : result.files)
    EXPECT_NE(ism.find("src=\"" + f.name + "\""), std::string::npos);
  EXPECT_NE(ism.find("content=\"clip.ismc\""), std::string::npos);
  check_client_manifest(fs::path(req.output_dir) / result.ismc_name, result);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), 100);
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
}

TEST(Transcoder, TheSameInputGivesTheSameBytes) {
  auto input = make_clip("clip.mp4", "testsrc2=size=640x360:rate=25", true);
  auto a = run(input, "same-a");
  auto b = run(input, "same-b");
  for (const auto& f : a.files)
    EXPECT_EQ(read_all(work_dir() / "same-a" / f.name), read_all(work_dir() / "same-b" / f.name))
        << f.name;
  EXPECT_EQ(read_all(work_dir() / "same-a" / a.ism_name),
            read_all(work_dir() / "same-b" / b.ism_name));
  EXPECT_EQ(read_all(work_dir() / "same-a" / a.ismc_name),
            read_all(work_dir() / "same-b" / b.ismc_name));
}

// The opt-in for large machines: several x264 threads per layer still cut every layer at the
// same instants with closed GOPs (only run-to-run byte identity is given up).
TEST(Transcoder, X264ThreadsKeepLayersAligned) {
  auto input = make_clip("clip.mp4", "testsrc2=size=640x360:rate=25", true);
  auto result = run(input, "threads", small_ladder(), 3);
  ASSERT_EQ(result.files.size(), 4u);
  EXPECT_EQ(aligned_keyframes(work_dir() / "threads", result), (std::vector<double>{0, 2, 4}));
}

TEST(Transcoder, NeverUpscalesAndHandlesOddSizesAndNoAudio) {
  auto input = make_clip("odd.mp4", "testsrc2=size=482x271:rate=30", false);
  auto result = run(input, "odd");
  ASSERT_EQ(result.files.size(), 2u);  // 640x360 dropped, no audio file
  EXPECT_EQ(result.files[0].width, 480);
  EXPECT_FALSE(result.files.back().audio);
}

TEST(Transcoder, KeepsEachLayerWithin15PercentOfItsBitrate) {
  // Long enough for the rate control to settle; a moving, detailed picture so it has to work.
  fs::path input = work_dir() / "long.mp4";
  generate(input, "testsrc2=size=640x360:rate=25:duration=24",
           "-c:v libx264 -preset ultrafast -qp 10 -pix_fmt yuv420p");
  Preset p = small_ladder();
  p.layers.erase(p.layers.begin() + 1);  // 500 and 150 kbps
  p.audio.reset();
  auto result = run(input, "long", p);
  ASSERT_EQ(result.files.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    double target = p.layers[i].bitrate_kbps * 1000.0;
    EXPECT_NEAR(result.files[i].bitrate, target, target * 0.15) << result.files[i].name;
  }
}

TEST(Transcoder, Handles10Bit422And2997Fps) {
  fs::path input = work_dir() / "tenbit.mov";
  generate(input, "testsrc2=size=640x360:rate=30000/1001:duration=5",
           "-c:v libx264 -preset ultrafast -pix_fmt yuv422p10le");
  auto result = run(input, "tenbit");
  ASSERT_EQ(result.files.size(), 3u);
  auto first = aligned_keyframes(work_dir() / "tenbit", result);
  ASSERT_EQ(first.size(), 3u);  // 0, 2.002, 4.004: 60 frames of 29.97 fps per GOP
  EXPECT_NEAR(first[1], 2.002, 0.001);
}

// Film and high frame rates: the GOP is round(fps x 2) frames, so 23.976 fps cuts every 2.002 s.
TEST(Transcoder, Keeps23976And60FpsWithAlignedClosedGops) {
  struct Case {
    const char* name;
    const char* rate;
    double gop_seconds;
  };
  for (Case c : {Case{"fps-23976", "24000/1001", 2.002}, Case{"fps-60", "60", 2.0}}) {
    SCOPED_TRACE(c.name);
    fs::path input = work_dir() / (std::string(c.name) + ".mp4");
    generate(input, std::string("testsrc2=size=480x270:rate=") + c.rate + ":duration=5",
             "-c:v libx264 -preset ultrafast -pix_fmt yuv420p");
    auto result = run(input, c.name);
    ASSERT_EQ(result.files.size(), 2u);  // 480x270 and 320x180; 640x360 dropped
    auto first = aligned_keyframes(work_dir() / c.name, result);
    ASSERT_EQ(first.size(), 3u);
    EXPECT_NEAR(first[1], c.gop_seconds, 0.001);
    EXPECT_NEAR(first[2], 2 * c.gop_seconds, 0.001);
  }
}

TEST(Transcoder, SurvivesATruncatedInput) {
  auto whole = make_clip("clip.mp4", "testsrc2=size=640x360:rate=25", true);
  fs::path fast = work_dir() / "faststart.mp4";
  std::string cmd = "ffmpeg -nostdin -loglevel error -y -i '" + whole.string() +
                    "' -c copy -movflags +faststart '" + fast.string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  fs::path cut = work_dir() / "truncated.mp4";
  std::string bytes = read_all(fast);
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  try {
    auto result = run(cut, "truncated");
    EXPECT_LT(result.duration_seconds, 6.0);  // what could be read, and no more
  } catch (const EncodeError& e) {
    EXPECT_FALSE(std::string(e.what()).empty());  // or a clear refusal
  }
}

TEST(Transcoder, RefusesWhatIsNotVideoWithAClearError) {
  fs::path garbage = work_dir() / "garbage.mp4";
  std::ofstream(garbage) << "this is not a video file at all";
  try {
    run(garbage, "garbage");
    FAIL() << "accepted garbage";
  } catch (const EncodeError& e) {
    EXPECT_NE(std::string(e.what()).find("input"), std::string::npos) << e.what();
  }
  fs::path missing = work_dir() / "missing.mp4";
  EXPECT_THROW(run(missing, "missing"), EncodeError);
}

TEST(Transcoder, RefusesRotationMetadataClearly) {
  auto plain = make_clip("clip.mp4", "testsrc2=size=640x360:rate=25", true);
  fs::path rotated = work_dir() / "rotated.mp4";
  // FFmpeg 5.1 writes a "rotate" tag as the track's display matrix.
  std::string cmd = "ffmpeg -nostdin -loglevel error -y -i '" + plain.string() +
                    "' -c copy -metadata:s:v:0 rotate=90 '" + rotated.string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  try {
    run(rotated, "rotated");
    FAIL() << "accepted a rotated source";
  } catch (const EncodeError& e) {
    EXPECT_NE(std::string(e.what()).find("rotation"), std::string::npos) << e.what();
  }
}

TEST(Transcoder, CancelsWithinASecondMidEncode) {
  fs::path input = work_dir() / "cancel-long.mp4";
  generate(input, "testsrc2=size=1280x720:rate=25:duration=60", "-c:v libx264 -preset ultrafast");
  std::atomic<bool> cancel{false};
  EncodeRequest req;
  req.input_path = input;
  req.output_dir = work_dir() / "cancel-mid";
  req.basename = "clip";
  req.preset = small_ladder();
  req.x264_preset = "medium";
  std::atomic<int> progress{0};
  req.on_progress = [&](int p) { progress = p; };
  req.cancel = &cancel;
  std::chrono::steady_clock::time_point cancelled_at;
  std::thread canceller([&] {
    while (progress < 2) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    cancelled_at = std::chrono::steady_clock::now();
    cancel = true;
  });
  EXPECT_THROW(encode_file(req), EncodeError);
  auto took = std::chrono::steady_clock::now() - cancelled_at;
  canceller.join();
  EXPECT_LT(took, std::chrono::seconds(1))
      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
  EXPECT_LT(progress.load(), 100);
  size_t left = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(req.output_dir)) ++left;
  EXPECT_EQ(left, 0u);
}

TEST(Transcoder, CancellationStopsAndLeavesNothing) {
  auto input = make_clip("clip.mp4", "testsrc2=size=640x360:rate=25", true);
  std::atomic<bool> cancel{true};
  EncodeRequest req;
  req.input_path = input;
  req.output_dir = work_dir() / "cancelled";
  req.basename = "clip";
  req.preset = small_ladder();
  req.cancel = &cancel;
  EXPECT_THROW(encode_file(req), EncodeError);
  size_t left = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(req.output_dir)) ++left;
  EXPECT_EQ(left, 0u);
}

}  // namespace twin::encode
