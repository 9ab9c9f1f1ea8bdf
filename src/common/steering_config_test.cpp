#include "common/steering_config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/config.h"

namespace twin::config {
namespace {

Steering two_pathways() {
  Steering s;
  s.server = "http://edge-a.example.net:8900/steer";
  s.pathways = {{"A", "http://edge-a.example.net:8900/", ""},
                {"B", "https://edge-b.example.net", "https://edge-b.example.net/steer"}};
  return s;
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
  s = two_pathways();
  s.pathways[0].steering = "/steer";
  EXPECT_NE(error_of(s).find("pathways[0].steering"), std::string::npos);
  s = two_pathways();
  s.ttl_seconds = 0;
  EXPECT_NE(error_of(s).find("streaming.steering.ttl_seconds"), std::string::npos);
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

TEST(SteeringConfig, RefusesUnknownKeysAndReadsTheOptionalOnes) {
  const std::string head = "[streaming.steering]\nserver = \"http://a:1/steer\"\n";
  const std::string pathway =
      "[[streaming.steering.pathways]]\nid = \"A\"\nbase = \"http://a:1\"\n";
  Steering s = steering_from_toml(
      head + "ttl_seconds = 2\n" + pathway + "steering = \"http://a:1/steer\"\n", "f.toml");
  EXPECT_EQ(s.ttl_seconds, 2);
  EXPECT_EQ(s.pathways.at(0).steering, "http://a:1/steer");
  EXPECT_FALSE(steering_from_toml("[streaming]\nenabled = true\n", "f.toml").enabled());
  auto refused = [&](const std::string& text) {
    try {
      steering_from_toml(text, "f.toml");
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(refused(head + "tll_seconds = 2\n" + pathway),
            "streaming.steering.tll_seconds: unknown key");
  EXPECT_EQ(refused(head + pathway + "bsae = \"x\"\n"),
            "streaming.steering.pathways[0].bsae: unknown key");
}

}  // namespace twin::config
