#include "common/config.h"

#include <gtest/gtest.h>

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

}  // namespace twin::config
