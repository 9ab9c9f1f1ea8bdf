#include "common/steering_config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/config.h"

namespace twin::config {
namespace {

Steering two_pathways() {
  return {"http://edge-a.example.net:8900/steer",
          "",
          {{"A", "http://edge-a.example.net:8900/"}, {"B", "https://edge-b.example.net"}}};
}

std::string error_of(Steering s) {
  try {
    validate(s);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(SteeringConfig, DefaultsToTheFirstPathwayAndTrimsBases) {
  Steering s = two_pathways();
  validate(s);
  EXPECT_EQ(s.default_pathway, "A");
  EXPECT_EQ(s.pathways[0].base, "http://edge-a.example.net:8900");
  ASSERT_NE(s.find("B"), nullptr);
  EXPECT_EQ(s.find("B")->base, "https://edge-b.example.net");
  EXPECT_EQ(s.find("C"), nullptr);
}

TEST(SteeringConfig, NamesTheKeyOfEachMistake) {
  Steering s = two_pathways();
  s.pathways[1].id = "A";
  EXPECT_EQ(error_of(s), "streaming.steering.pathways: the id \"A\" appears twice");
  s = two_pathways();
  s.pathways[1].id = "B B";
  EXPECT_NE(error_of(s).find("streaming.steering.pathways[1].id \"B B\""), std::string::npos);
  s = two_pathways();
  s.pathways[0].base = "http://edge-a.example.net/media";
  EXPECT_NE(error_of(s).find("pathways[0].base"), std::string::npos);
  s.pathways[0].base = "edge-a.example.net";
  EXPECT_NE(error_of(s).find("pathways[0].base"), std::string::npos);
  s = two_pathways();
  s.server = "/steer";
  EXPECT_NE(error_of(s).find("streaming.steering.server"), std::string::npos);
  s.server = "http://edge-a.example.net/steer?a=\"b\"";  // would end HLS's quoted SERVER-URI
  EXPECT_NE(error_of(s).find("streaming.steering.server"), std::string::npos);
  s = two_pathways();
  s.default_pathway = "C";
  EXPECT_EQ(error_of(s), "streaming.steering.default \"C\" names no pathway");
  EXPECT_EQ(error_of(Steering{}), "streaming.steering.pathways is empty");
}

TEST(SteeringConfig, LoadsFromTheStreamingSection) {
  std::string path = testing::TempDir() + "/steering.toml";
  std::ofstream(path) << "[streaming.steering]\nserver = \"http://127.0.0.1:8900/steer\"\n"
                         "default = \"B\"\n"
                         "[[streaming.steering.pathways]]\nid = \"A\"\nbase = \"http://a:1\"\n"
                         "[[streaming.steering.pathways]]\nid = \"B\"\nbase = \"http://b:2\"\n";
  auto c = load_file(path);
  ASSERT_TRUE(c.streaming.steering.enabled());
  EXPECT_EQ(c.streaming.steering.default_pathway, "B");
  EXPECT_EQ(c.streaming.steering.pathways.size(), 2u);
  std::ofstream(path) << "[streaming.steering]\nserver = \"http://127.0.0.1:8900/steer\"\n";
  try {
    load_file(path);
    FAIL() << "an empty pathway list was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("streaming.steering.pathways is empty"),
              std::string::npos);
  }
  EXPECT_FALSE(development_default().streaming.steering.enabled());
}

}  // namespace twin::config
