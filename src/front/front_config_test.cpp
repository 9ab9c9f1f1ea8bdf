#include "front/front_config.h"

#include <gtest/gtest.h>

namespace twin::front {
namespace {

using namespace std::chrono_literals;

std::string error_of(const std::string& toml) {
  try {
    parse_front_config(toml, "front.toml");
  } catch (const FrontConfigError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(FrontConfig, ReadsTheFrontSection) {
  auto c = parse_front_config(R"(
[front]
listen = "0.0.0.0:8900"
admin_listen = "127.0.0.1:8901"
probe_path = "/3f2a9c1e-0000-4000-8000-00000000abcd/clip.ism/manifest"
probe_interval_ms = 500
probe_timeout_ms = 300
rise = 4
fall = 1
cache_bytes = 1048576
admin_key = "s3cret"
[[front.origins]]
name = "A"
url = "http://dc-a.example.net:8800"
[[front.origins]]
name = "B"
url = "http://dc-b.example.net:8800"
weight = 3
host = "origin-b.example.net"
)",
                              "front.toml");
  EXPECT_EQ(c.listen.host, "0.0.0.0");
  EXPECT_EQ(c.listen.port, 8900);
  ASSERT_TRUE(c.admin_listen);
  EXPECT_EQ(c.admin_listen->host, "127.0.0.1");
  EXPECT_EQ(c.admin_listen->port, 8901);
  ASSERT_EQ(c.origins.size(), 2u);
  EXPECT_EQ(c.origins[0].name, "A");
  EXPECT_EQ(c.origins[0].priority, 0);
  EXPECT_EQ(c.origins[1].priority, 1);  // the order given, unless priorities say otherwise
  EXPECT_EQ(c.origins[1].weight, 3);
  EXPECT_EQ(c.origins[1].host, "origin-b.example.net");
  EXPECT_EQ(c.probe_interval, 500ms);
  EXPECT_EQ(c.probe_timeout, 300ms);
  EXPECT_EQ(c.health.rise, 4);
  EXPECT_EQ(c.health.fall, 1);
  EXPECT_EQ(c.cache_bytes, 1048576u);
  EXPECT_EQ(c.admin_key, "s3cret");
}

TEST(FrontConfig, DefaultsAreTheIssuesNumbers) {
  auto c = parse_front_config("[front]\n", "front.toml");
  EXPECT_EQ(c.listen.port, 8900);
  EXPECT_EQ(c.probe_path, "/health");
  EXPECT_FALSE(c.admin_listen);  // the dashboard and the admin API on the viewers' listener
  EXPECT_EQ(c.probe_interval, 1000ms);
  EXPECT_EQ(c.probe_timeout, 500ms);
  EXPECT_EQ(c.health.rise, 3);
  EXPECT_EQ(c.health.fall, 2);
  EXPECT_EQ(c.cache_bytes, 512u << 20);
  EXPECT_EQ(c.steering_requests_per_second, 0);  // no limit
  EXPECT_EQ(parse_front_config("[front]\nsteering_requests_per_second = 0.5\n", "f")
                .steering_requests_per_second,
            0.5);
  EXPECT_EQ(parse_front_config("[front]\nsteering_requests_per_second = 200\n", "f")
                .steering_requests_per_second,
            200);
}

TEST(FrontConfig, ErrorsNameTheFileTheLineAndTheKey) {
  EXPECT_EQ(error_of("[front]\nfal = 2\n"), "front.toml:2: front.fal: unknown key");
  EXPECT_EQ(error_of("[front]\nrise = 0\n"),
            "front.toml:2: front.rise: must be an integer from 1 to 100");
  EXPECT_EQ(error_of("[front]\n[[front.origins]]\nname = \"A\"\nurl = \"ftp://x\"\n"),
            "front.toml:4: front.origins[0].url: must be an http:// URL");
  EXPECT_EQ(error_of("[front]\n[[front.origins]]\nname = \"A\"\nurle = \"http://x\"\n"),
            "front.toml:4: front.origins[0].urle: unknown key");
  EXPECT_NE(
      error_of("[front]\n[[front.origins]]\nname = \"A\"\n").find("front.origins[0].url: missing"),
      std::string::npos);
  EXPECT_EQ(error_of("[front]\nsteering_requests_per_second = -1\n"),
            "front.toml:2: front.steering_requests_per_second: must be a number from 0 to 1000000");
  EXPECT_EQ(error_of("[frontt]\n"), "front.toml: no [front] section");
  EXPECT_EQ(error_of("[front]\n[other]\n"), "front.toml:2: other: unknown key");
  EXPECT_EQ(error_of("[front]\nlisten = \"nowhere\"\n"),
            "front.toml:2: front.listen: expected HOST:PORT, got 'nowhere'");
  EXPECT_EQ(error_of("[front]\nadmin_listen = \"8901\"\n"),
            "front.toml:2: front.admin_listen: expected HOST:PORT, got '8901'");
  EXPECT_NE(error_of("[front\n").find("front.toml:1: "), std::string::npos);
  EXPECT_NE(error_of("[front]\n[[front.origins]]\nname=\"A\"\nurl=\"http://a\"\n"
                     "[[front.origins]]\nname=\"A\"\nurl=\"http://b\"\n")
                .find("the name A is used twice"),
            std::string::npos);
}

TEST(FrontConfig, OriginFlags) {
  auto o = parse_origin_flag("B=http://127.0.0.1:8801", 1);
  EXPECT_EQ(o.name, "B");
  EXPECT_EQ(o.url, "http://127.0.0.1:8801");
  EXPECT_EQ(o.priority, 1);
  EXPECT_THROW(parse_origin_flag("http://127.0.0.1:8801", 0), FrontConfigError);
  EXPECT_THROW(parse_origin_flag("A=127.0.0.1:8801", 0), FrontConfigError);
}

}  // namespace
}  // namespace twin::front
