#include "client/stream_urls.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace twin::client {
namespace {

std::string golden(const std::string& name) {
  std::ifstream in("src/package/testdata/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(StreamUrls, HlsListsPlaylistsMapsAndSegments) {
  auto master = hls_uris(golden("master.m3u8"));
  ASSERT_FALSE(master.empty());
  EXPECT_EQ(master[0], "QualityLevels(128000)/Manifest(aac_und_2_128000_1_1,format=m3u8-aapl)");
  auto audio = hls_uris(golden("audio.m3u8"));
  ASSERT_EQ(audio.size(), 4u);  // the init segment, then three segments
  EXPECT_EQ(audio[0], "Fragments(aac_und_2_128000_1_1=i,format=m3u8-aapl).mp4");
  EXPECT_EQ(audio[2], "Fragments(aac_und_2_128000_1_1=20053333,format=m3u8-aapl).m4s");
}

TEST(StreamUrls, DashExpandsTheTimelinePerRepresentation) {
  auto urls = dash_segment_urls(golden("manifest.mpd"));
  // Three video representations and one audio, each an init and three segments (r="2" repeats).
  ASSERT_EQ(urls.size(), 16u);
  EXPECT_EQ(urls[0], "QualityLevels(1000000)/Fragments(video=i,format=mpd-time-csf)");
  EXPECT_EQ(urls[3], "QualityLevels(1000000)/Fragments(video=40000000,format=mpd-time-csf)");
  EXPECT_EQ(urls[15],
            "QualityLevels(128000)/Fragments(aac_und_2_128000_1_1=40106667,format=mpd-time-csf)");
  EXPECT_THROW(dash_segment_urls("<MPD"), ManifestError);
  EXPECT_THROW(dash_segment_urls("<MPD><Period><AdaptationSet><Representation/></AdaptationSet>"
                                 "</Period></MPD>"),
               ManifestError);
}

TEST(StreamUrls, SmoothCountsChunksAsTheClientManifestDoes) {
  for (const char* name : {"smooth.ismc", "smooth-v20.ismc"}) {
    auto urls = smooth_fragment_urls(golden(name));
    ASSERT_EQ(urls.size(), 12u) << name;  // audio 3 + video 3 levels x 3 (r="3" is a count)
    EXPECT_EQ(urls[0], "QualityLevels(128000)/Fragments(aac_und_2_128000_1_1=0)") << name;
    EXPECT_EQ(urls[11], "QualityLevels(400000)/Fragments(video=40000000)") << name;
  }
}

TEST(StreamUrls, ResolvesAgainstTheManifestUrl) {
  EXPECT_EQ(resolve_url("http://h:1/g/c.ism/manifest(format=m3u8-aapl)", "QualityLevels(1)/M"),
            "http://h:1/g/c.ism/QualityLevels(1)/M");
  EXPECT_EQ(resolve_url("http://h:1/g/c.ism/QualityLevels(1)/M", "F(v=0).m4s"),
            "http://h:1/g/c.ism/QualityLevels(1)/F(v=0).m4s");
  EXPECT_EQ(resolve_url("http://h:1/g/x", "/abs"), "http://h:1/abs");
  EXPECT_EQ(resolve_url("http://h:1/g/x", "http://o/y"), "http://o/y");
}

}  // namespace
}  // namespace twin::client
