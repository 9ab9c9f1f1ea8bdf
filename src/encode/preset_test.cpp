#include "encode/preset.h"

#include <gtest/gtest.h>

namespace twin::encode {

TEST(Preset, The720pLadderHasTheMesValues) {
  auto p = builtin_preset("h264 multiple bitrate 720P");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->layers.size(), 6u);
  int expected[][3] = {{3400, 1280, 720}, {2250, 960, 540}, {1500, 960, 540},
                       {1000, 640, 360},  {650, 640, 360},  {400, 320, 180}};
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(p->layers[i].bitrate_kbps, expected[i][0]);
    EXPECT_EQ(p->layers[i].max_bitrate_kbps, expected[i][0]);
    EXPECT_EQ(p->layers[i].width, expected[i][1]);
    EXPECT_EQ(p->layers[i].height, expected[i][2]);
    EXPECT_EQ(p->layers[i].b_frames, 3);
  }
  EXPECT_EQ(p->keyframe_interval_seconds, 2);
  ASSERT_TRUE(p->audio);
  EXPECT_EQ(p->audio->sample_rate, 48000);
  EXPECT_EQ(p->audio->bitrate_kbps, 128);
  EXPECT_FALSE(builtin_preset("H264 Multiple Bitrate 8K"));
}

TEST(Preset, The1080pAndSdLadders) {
  auto hd = builtin_preset("H264 Multiple Bitrate 1080p");
  ASSERT_TRUE(hd);
  ASSERT_EQ(hd->layers.size(), 8u);
  EXPECT_EQ(hd->layers.front().bitrate_kbps, 6000);
  EXPECT_EQ(hd->layers.front().height, 1080);
  EXPECT_EQ(hd->layers.back().bitrate_kbps, 400);
  auto sd = builtin_preset("H264 Multiple Bitrate SD");
  ASSERT_TRUE(sd);
  ASSERT_EQ(sd->layers.size(), 5u);
  EXPECT_EQ(sd->layers.front().width, 848);
  EXPECT_EQ(sd->layers.front().bitrate_kbps, 1900);
  EXPECT_EQ(builtin_preset_names().size(), 3u);
  for (const auto& name : builtin_preset_names()) EXPECT_TRUE(builtin_preset(name)) << name;
}

TEST(Preset, ParsesMesJson) {
  auto p = parse_mes_json(R"({"Version":1.0,"Codecs":[
    {"KeyFrameInterval":"00:00:04","Type":"H264Video","H264Layers":[
      {"Bitrate":300,"Width":320,"Height":180,"Type":"H264Layer"},
      {"Bitrate":"900","MaxBitrate":1000,"Width":640,"Height":360,"BufferWindow":"00:00:03","BFrames":0,"Type":"H264Layer"}]},
    {"Profile":"AACLC","Channels":2,"SamplingRate":44100,"Bitrate":96,"Type":"AACAudio"}],
    "Outputs":[{"FileName":"{Basename}_{Bitrate}.mp4","Format":{"Type":"MP4Format"}}]})");
  EXPECT_EQ(p.keyframe_interval_seconds, 4);
  ASSERT_EQ(p.layers.size(), 2u);
  EXPECT_EQ(p.layers[0].bitrate_kbps, 900);  // highest first
  EXPECT_EQ(p.layers[0].max_bitrate_kbps, 1000);
  EXPECT_EQ(p.layers[0].b_frames, 0);
  EXPECT_EQ(p.layers[0].buffer_window_seconds, 3);
  EXPECT_EQ(p.audio->sample_rate, 44100);
  EXPECT_EQ(output_name(p.file_name, "movie", p.layers[1]), "movie_300.mp4");
}

TEST(Preset, RefusesBadMesJsonWithAReason) {
  auto message = [](const std::string& text) {
    try {
      parse_mes_json(text);
    } catch (const PresetError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("{not json").find("not valid JSON"), std::string::npos);
  // Found by preset_fuzz: a number no double holds escaped as nlohmann's out_of_range.
  EXPECT_NE(message("[11111111111111e111111111111111111111111111111]").find("not valid JSON"),
            std::string::npos);
  EXPECT_NE(message(std::string(100, '[') + std::string(100, ']')).find("nested deeper"),
            std::string::npos);
  EXPECT_NE(message(R"({"Codecs":[]})").find("no H264Video"), std::string::npos);
  EXPECT_NE(message(R"({"Codecs":[{"Type":"H265Video"}]})").find("unsupported codec"),
            std::string::npos);
  EXPECT_NE(
      message(
          R"({"Codecs":[{"Type":"H264Video","H264Layers":[{"Bitrate":1,"Width":3,"Height":2}]}]})")
          .find("even"),
      std::string::npos);
  EXPECT_NE(
      message(
          R"({"Codecs":[{"Type":"H264Video","KeyFrameInterval":"2s","H264Layers":[{"Bitrate":1,"Width":2,"Height":2}]}]})")
          .find("time span"),
      std::string::npos);
}

TEST(Preset, NeverUpscales) {
  auto p = *builtin_preset("H264 Multiple Bitrate 720p");
  EXPECT_EQ(layers_for_source(p, 1920, 1080).size(), 6u);
  auto for_540 = layers_for_source(p, 960, 540);
  ASSERT_EQ(for_540.size(), 5u);
  EXPECT_EQ(for_540.front().bitrate_kbps, 2250);
  auto tiny = layers_for_source(p, 161, 91);
  ASSERT_EQ(tiny.size(), 1u);
  EXPECT_EQ(tiny[0].width, 160);
  EXPECT_EQ(tiny[0].height, 90);
  EXPECT_EQ(tiny[0].bitrate_kbps, 400);
}

TEST(Preset, NamesOutputsLikeMes) {
  auto p = *builtin_preset("H264 Multiple Bitrate 720p");
  EXPECT_EQ(basename_of("BigBuckBunny.mp4"), "BigBuckBunny");
  EXPECT_EQ(basename_of("dir/a.b.mov"), "a.b");
  EXPECT_EQ(basename_of(std::string(40, 'x') + ".mp4"), std::string(32, 'x'));
  EXPECT_EQ(output_name(p.file_name, "BigBuckBunny", p.layers[0]),
            "BigBuckBunny_1280x720_3400.mp4");
}

}  // namespace twin::encode
