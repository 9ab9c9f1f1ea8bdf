#include "client/profiles.h"

#include <gtest/gtest.h>

namespace twin::client {
namespace {

const char* kGood = R"(
[datacenters.A]
media_api = "http://dc-a:8700/api/"
media_account = "mediaa"
media_key = "key-a"
storage_url = "http://dc-a:10000/storea/"
storage_account = "storea"
storage_key = "a2V5"
[datacenters.B]
media_api = "http://dc-b:8700/mediab/api/"
media_account = "mediab"
media_key = "key-b"
storage_url = "http://dc-b:10000/storeb"
storage_account = "storeb"
storage_key = "a2V5"
streaming_url = "http://edge-b:8800/"
)";

std::string error_of(const std::string& text) {
  try {
    parse_profiles(text, "dc.toml");
  } catch (const ProfileError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Profiles, ReadsEveryDataCenter) {
  Profiles p = parse_profiles(kGood, "dc.toml");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p.at("A").media_api, "http://dc-a:8700/api/");
  EXPECT_EQ(p.at("A").storage_url, "http://dc-a:10000/storea");  // trailing slash dropped
  EXPECT_EQ(p.at("A").streaming_url, "");
  EXPECT_EQ(p.at("B").streaming_url, "http://edge-b:8800");
  EXPECT_EQ(profile_named(p, "B", "dc.toml").media_account, "mediab");
}

TEST(Profiles, NamesTheFileLineAndKeyOfAProblem) {
  std::string missing = kGood;
  missing.erase(missing.find("media_key = \"key-a\"\n"), 20);
  EXPECT_EQ(error_of(missing), "dc.toml:2: datacenters.A.media_key: missing");
  std::string unknown = std::string(kGood) + "stream_url = \"http://x\"\n";
  EXPECT_EQ(error_of(unknown), "dc.toml:17: datacenters.B.stream_url: unknown key");
  std::string not_url = kGood;
  not_url.replace(not_url.find("http://dc-b:10000"), 7, "ftp://");
  EXPECT_EQ(error_of(not_url),
            "dc.toml:13: datacenters.B.storage_url: must be an http:// or "
            "https:// URL");
  EXPECT_EQ(error_of("[other]\n"), "dc.toml:1: other: unknown key");
  EXPECT_EQ(error_of(""),
            "dc.toml: datacenters: missing (a [datacenters.NAME] table per data "
            "center)");
  EXPECT_NE(error_of("[datacenters.A\n").find("dc.toml:1: "), std::string::npos);
}

TEST(Profiles, AnUnknownNameListsTheKnownOnes) {
  Profiles p = parse_profiles(kGood, "dc.toml");
  try {
    profile_named(p, "C", "dc.toml");
    FAIL();
  } catch (const ProfileError& e) {
    EXPECT_STREQ(e.what(), "dc.toml: no data center named C (there are A, B)");
  }
}

}  // namespace
}  // namespace twin::client
