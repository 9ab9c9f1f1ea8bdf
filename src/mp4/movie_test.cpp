// Reads MP4s written by ffmpeg and checks the index against what ffmpeg wrote; then feeds the
// reader truncated and corrupted files, which must be refused with FormatError, never overrun.
#include "mp4/movie.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "common/scratch_dir.h"

namespace twin::mp4 {
namespace fs = std::filesystem;
namespace {

fs::path work_dir() {
  static ScratchDir dir("mp4");
  return dir.path();
}

// 4 s of 25 fps H.264 (B-frames, a keyframe every second) and 48 kHz AAC in one file.
fs::path clip(const std::string& name, const std::string& extra) {
  fs::path out = work_dir() / name;
  if (fs::exists(out)) return out;
  std::string cmd =
      "ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=320x180:rate=25:duration=4 "
      "-f lavfi -i sine=frequency=440:sample_rate=48000:duration=4 -c:v libx264 -preset "
      "ultrafast -bf 2 -g 25 -keyint_min 25 -sc_threshold 0 -pix_fmt yuv420p -c:a aac " +
      extra + " '" + out.string() + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  return out;
}

std::vector<uint8_t> read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_all(const fs::path& p, const std::vector<uint8_t>& bytes) {
  std::ofstream(p, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

TEST(Movie, IndexesVideoAndAudioAsWritten) {
  Movie m = read_movie(clip("av.mp4", "-movflags +faststart"));
  const Track* v = m.first(TrackKind::video);
  const Track* a = m.first(TrackKind::audio);
  ASSERT_TRUE(v && a);
  EXPECT_EQ(v->codec, "avc1");
  EXPECT_EQ(v->width, 320);
  EXPECT_EQ(v->height, 180);
  ASSERT_TRUE(v->avc);
  EXPECT_EQ(v->avc->codec_string().substr(0, 5), "avc1.");
  EXPECT_EQ(v->avc->annexb_hex().substr(0, 10), "0000000167");
  ASSERT_EQ(v->samples.size(), 100u);
  for (size_t i = 0; i < v->samples.size(); ++i) EXPECT_EQ(v->samples[i].sync, i % 25 == 0) << i;
  EXPECT_EQ(v->duration() * 1.0 / v->timescale, 4.0);
  // B-frames: ffmpeg delays presentation by two frames and says so in the edit list.
  EXPECT_GT(v->edit_media_time, 0);
  EXPECT_EQ(v->samples[0].composition_offset, v->edit_media_time);

  EXPECT_EQ(a->codec, "mp4a");
  ASSERT_TRUE(a->aac);
  EXPECT_EQ(a->aac->codec_string(), "mp4a.40.2");
  EXPECT_EQ(a->aac->sample_rate, 48000);
  EXPECT_EQ(a->aac->channels, 1);
  EXPECT_EQ(a->timescale, 48000u);
  EXPECT_EQ(a->samples[1].duration, 1024u);
  EXPECT_EQ(a->edit_media_time, 1024);  // AAC priming
}

TEST(Movie, SampleOffsetsPointAtTheSamplesInTheFile) {
  fs::path path = clip("av.mp4", "-movflags +faststart");
  Movie m = read_movie(path);
  uint64_t size = fs::file_size(path), total = 0;
  for (const auto& t : m.tracks)
    for (const auto& s : t.samples) {
      ASSERT_LE(s.offset + s.size, size);
      total += s.size;
    }
  EXPECT_GT(total, size * 9 / 10);  // the samples are nearly the whole file
  // An H.264 sample starts with a 4-byte NAL length that fits inside the sample.
  auto bytes = read_all(path);
  const Sample& first = m.first(TrackKind::video)->samples[0];
  uint32_t nal = uint32_t(bytes[first.offset]) << 24 | uint32_t(bytes[first.offset + 1]) << 16 |
                 uint32_t(bytes[first.offset + 2]) << 8 | bytes[first.offset + 3];
  EXPECT_LE(nal + 4, first.size);
}

TEST(Movie, FindsTheMoovAfterTheMdat) {
  Movie tail = read_movie(clip("moov-last.mp4", ""));
  Movie head = read_movie(clip("av.mp4", "-movflags +faststart"));
  ASSERT_EQ(tail.tracks.size(), head.tracks.size());
  EXPECT_EQ(tail.tracks[0].samples.size(), head.tracks[0].samples.size());
}

TEST(Movie, RefusesWhatIsNotAnMp4) {
  fs::path text = work_dir() / "text.mp4";
  write_all(text, std::vector<uint8_t>(1000, 'x'));
  EXPECT_THROW(read_movie(text.string()), FormatError);
  fs::path empty = work_dir() / "empty.mp4";
  write_all(empty, {});
  EXPECT_THROW(read_movie(empty.string()), FormatError);
  EXPECT_THROW(read_movie((work_dir() / "missing.mp4").string()), std::system_error);
}

TEST(Movie, RefusesATruncatedFile) {
  auto bytes = read_all(clip("moov-last.mp4", ""));
  bytes.resize(bytes.size() - 200);  // the moov is at the end: cut into it
  fs::path cut = work_dir() / "cut.mp4";
  write_all(cut, bytes);
  EXPECT_THROW(read_movie(cut.string()), FormatError);
}

// Random corruption inside the moov: every outcome is an index or a FormatError (ASan watches).
TEST(Movie, SurvivesCorruptedMetadata) {
  auto original = read_all(clip("av.mp4", "-movflags +faststart"));
  std::mt19937 random(7);
  fs::path bad = work_dir() / "bad.mp4";
  int refused = 0;
  for (int round = 0; round < 300; ++round) {
    auto bytes = original;
    for (int k = 0; k < 4; ++k) bytes[32 + random() % 3000] = static_cast<uint8_t>(random());
    write_all(bad, bytes);
    try {
      Movie m = read_movie(bad.string());
      EXPECT_FALSE(m.tracks.empty());
    } catch (const FormatError&) {
      ++refused;
    }
  }
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace twin::mp4
