#include "package/smooth_manifest.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "package/test_tracks.h"

namespace twin::package {
namespace {
using testing::audio_track;
using testing::video_track;

struct Parsed {
  std::string text;
  pugi::xml_document doc;
  pugi::xml_node media;
};

void parse(Parsed& p, const Presentation& presentation) {
  p.text = smooth_manifest(presentation);
  ASSERT_TRUE(p.doc.load_string(p.text.c_str())) << p.text;
  p.media = p.doc.child("SmoothStreamingMedia");
}

TEST(SmoothManifest, DescribesEveryLayerAndTheAudio) {
  Parsed m;
  parse(m, build_presentation(
               {{"a.mp4", "aac_und_2_128000_1_1", 128000, audio_track(236)},
                {"hi.mp4", "video", 3400000, video_track(12800, 512, 125, 50, 1280, 720)},
                {"lo.mp4", "video", 400000, video_track(12800, 512, 125, 50, 320, 180)}}));
  EXPECT_STREQ(m.media.attribute("MajorVersion").value(), "2");
  EXPECT_STREQ(m.media.attribute("MinorVersion").value(), "2");
  EXPECT_STREQ(m.media.attribute("TimeScale").value(), "10000000");
  EXPECT_STREQ(m.media.attribute("Duration").value(), "50346667");  // the audio's end
  auto audio = m.media.find_child_by_attribute("StreamIndex", "Type", "audio");
  auto video = m.media.find_child_by_attribute("StreamIndex", "Type", "video");
  ASSERT_TRUE(audio && video);
  EXPECT_STREQ(audio.attribute("Url").value(),
               "QualityLevels({bitrate})/Fragments(aac_und_2_128000_1_1={start time})");
  EXPECT_STREQ(audio.attribute("Chunks").value(), "3");
  auto aq = audio.child("QualityLevel");
  EXPECT_STREQ(aq.attribute("FourCC").value(), "AACL");
  EXPECT_STREQ(aq.attribute("CodecPrivateData").value(), "1190");
  EXPECT_STREQ(aq.attribute("SamplingRate").value(), "48000");
  EXPECT_STREQ(aq.attribute("Channels").value(), "2");

  EXPECT_STREQ(video.attribute("QualityLevels").value(), "2");
  EXPECT_STREQ(video.attribute("MaxWidth").value(), "1280");
  auto first = video.child("QualityLevel");
  EXPECT_STREQ(first.attribute("Bitrate").value(), "3400000");
  EXPECT_STREQ(first.attribute("FourCC").value(), "H264");
  EXPECT_STREQ(first.attribute("CodecPrivateData").value(), "000000016764001FAC0000000168EB");
  EXPECT_STREQ(first.next_sibling("QualityLevel").attribute("MaxHeight").value(), "180");
  // Two 2 s fragments folded with r (the total count), then the 1 s tail.
  auto c = video.child("c");
  EXPECT_STREQ(c.attribute("t").value(), "0");
  EXPECT_STREQ(c.attribute("d").value(), "20000000");
  EXPECT_STREQ(c.attribute("r").value(), "2");
  c = c.next_sibling("c");
  EXPECT_FALSE(c.attribute("t"));
  EXPECT_STREQ(c.attribute("d").value(), "10000000");
  EXPECT_FALSE(c.attribute("r"));
  EXPECT_FALSE(c.next_sibling("c"));
}

TEST(SmoothManifest, IsAPureFunctionOfTheTracks) {
  auto build = [] {
    return smooth_manifest(
        build_presentation({{"a.mp4", "aac_eng_2_96000_1_1", 96000, audio_track(100)},
                            {"v.mp4", "video", 1000000, video_track(30000, 1001, 90, 60)}}));
  };
  std::string once = build();
  EXPECT_EQ(once, build());
  EXPECT_NE(once.find("Language=\"eng\""), std::string::npos);
}

}  // namespace
}  // namespace twin::package
