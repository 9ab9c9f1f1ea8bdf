#include "encode/ism.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

namespace twin::encode {

TEST(Ism, ListsEveryFileWithItsParameters) {
  std::vector<IsmTrack> tracks{{"movie_1280x720_3400.mp4", false, 3412345, 1, "video"},
                               {"movie_640x360_1000.mp4", false, 1001234, 1, "video"},
                               {"movie_AAC_128.mp4", true, 128041, 1, "aac_und_2_128041_1_1"}};
  std::string text = write_ism(tracks, "movie.ismc");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(text.c_str()));
  auto sw = doc.child("smil").child("body").child("switch");
  std::vector<std::string> order;
  for (auto n : sw.children())
    order.push_back(std::string(n.name()) + ":" + n.attribute("src").value());
  EXPECT_EQ(order,
            (std::vector<std::string>{"audio:movie_AAC_128.mp4", "video:movie_1280x720_3400.mp4",
                                      "video:movie_640x360_1000.mp4"}));
  auto audio = sw.child("audio");
  EXPECT_STREQ(audio.attribute("systemBitrate").value(), "128041");
  EXPECT_STREQ(
      audio.find_child_by_attribute("param", "name", "trackName").attribute("value").value(),
      "aac_und_2_128041_1_1");
  EXPECT_STREQ(doc.child("smil")
                   .child("head")
                   .find_child_by_attribute("meta", "name", "clientManifestRelativePath")
                   .attribute("content")
                   .value(),
               "movie.ismc");
  EXPECT_EQ(text, write_ism(tracks, "movie.ismc"));  // deterministic
}

}  // namespace twin::encode
