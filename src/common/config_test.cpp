#include "common/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace twin::config {

TEST(Config, DevelopmentDefault) {
  auto c = development_default();
  EXPECT_EQ(c.storage.listen.host, "127.0.0.1");
  EXPECT_EQ(c.storage.listen.port, 10000);
  ASSERT_EQ(c.storage.accounts.size(), 1u);
  EXPECT_EQ(c.storage.accounts[0].name, "devstoreaccount1");
  EXPECT_EQ(c.data_dir, "./data");
}

TEST(Config, ParsesEndpointsAndAccounts) {
  auto e = parse_endpoint("0.0.0.0:8080");
  EXPECT_EQ(e.host, "0.0.0.0");
  EXPECT_EQ(e.port, 8080);
  EXPECT_EQ(parse_endpoint("[::1]:9").host, "::1");
  EXPECT_THROW(parse_endpoint("nohost"), std::invalid_argument);
  EXPECT_THROW(parse_endpoint("h:70000"), std::invalid_argument);
  auto a = parse_account("mediaa:QUJD:REVG");
  EXPECT_EQ(a.name, "mediaa");
  EXPECT_EQ(a.keys.size(), 2u);
  EXPECT_THROW(parse_account("UPPER:QUJD"), std::invalid_argument);
  EXPECT_THROW(parse_account("ok123:***"), std::invalid_argument);
}

TEST(Config, LoadsTomlAndNamesTheProblem) {
  std::string path = testing::TempDir() + "/dc.toml";
  std::ofstream(path) << "data_dir = \"/tmp/x\"\n[storage]\nlisten = \"127.0.0.1:0\"\n"
                         "[[storage.accounts]]\nname = \"mediaa\"\nkeys = [\"QUJD\"]\n";
  auto c = load_file(path);
  EXPECT_EQ(c.data_dir, "/tmp/x");
  EXPECT_EQ(c.storage.listen.port, 0);
  ASSERT_EQ(c.storage.accounts.size(), 1u);
  EXPECT_EQ(c.storage.accounts[0].name, "mediaa");
  std::ofstream(path) << "[storage\n";
  try {
    load_file(path);
    FAIL() << "expected a parse error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("dc.toml:1"), std::string::npos) << e.what();
  }
  std::remove(path.c_str());
}

TEST(Config, LoadsTheMediaSection) {
  std::string path = testing::TempDir() + "/media-" + std::to_string(::getpid()) + ".toml";
  std::ofstream(path) << "[[storage.accounts]]\nname = \"storea\"\nkeys = [\"QUJD\"]\n"
                         "[media]\nlisten = \"127.0.0.1:8701\"\nstreaming_base = \"http://o:1\"\n"
                         "token_lifetime_seconds = 60\nx264_threads = 4\n"
                         "[[media.accounts]]\nname = \"mediaa\"\nkey = \"0123456789abcdef\"\n"
                         "storage_account = \"storea\"\n";
  auto c = load_file(path);
  EXPECT_EQ(c.media.listen.port, 8701);
  EXPECT_EQ(c.media.streaming_base, "http://o:1");
  EXPECT_EQ(c.media.token_lifetime_seconds, 60u);
  EXPECT_EQ(c.media.x264_threads, 4u);
  EXPECT_EQ(c.media.job_workers, 0u);  // auto: one per 8 cores, decided by serve
  ASSERT_EQ(c.media.accounts.size(), 1u);
  EXPECT_EQ(c.media.accounts[0].storage_account, "storea");
  std::ofstream(path) << "[[media.accounts]]\nname = \"mediaa\"\nkey = \"short\"\n";
  EXPECT_THROW(load_file(path), std::runtime_error);
  std::ofstream(path) << "[media]\nx264_threads = 0\n";
  EXPECT_THROW(load_file(path), std::runtime_error);
  std::remove(path.c_str());
  auto m = parse_media_account("mediab:0123456789abcdef:storeb");
  EXPECT_EQ(m.storage_account, "storeb");
  EXPECT_EQ(parse_media_account("mediab:0123456789abcdef").storage_account, "");
  EXPECT_THROW(parse_media_account("MediaB:0123456789abcdef"), std::invalid_argument);
  EXPECT_THROW(parse_media_account("mediab"), std::invalid_argument);
}

}  // namespace twin::config
