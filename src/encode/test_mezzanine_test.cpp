#include "encode/test_mezzanine.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "encode/av.h"

namespace twin::encode {
namespace {

TEST(TestMezzanine, IsAnH264AndAacMp4OfTheLengthAsked) {
  auto path = std::filesystem::temp_directory_path() / "twin-mezzanine-test.mp4";
  std::vector<double> progress;
  make_test_mezzanine(path, {3, 320, 180, 25}, [&](double f) { progress.push_back(f); });
  AVFormatContext* raw = nullptr;
  ASSERT_EQ(avformat_open_input(&raw, path.c_str(), nullptr, nullptr), 0);
  InputPtr input(raw);
  ASSERT_GE(avformat_find_stream_info(raw, nullptr), 0);
  ASSERT_EQ(raw->nb_streams, 2u);
  EXPECT_EQ(raw->streams[0]->codecpar->codec_id, AV_CODEC_ID_H264);
  EXPECT_EQ(raw->streams[0]->codecpar->width, 320);
  EXPECT_EQ(raw->streams[1]->codecpar->codec_id, AV_CODEC_ID_AAC);
  EXPECT_EQ(raw->streams[1]->codecpar->sample_rate, 48000);
  EXPECT_NEAR(double(raw->duration) / AV_TIME_BASE, 3.0, 0.1);
  EXPECT_EQ(raw->streams[0]->nb_frames, 75);
  ASSERT_EQ(progress.size(), 3u);
  EXPECT_DOUBLE_EQ(progress.back(), 1.0);
  input.reset();
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace twin::encode
