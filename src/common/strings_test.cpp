#include "common/strings.h"

#include <gtest/gtest.h>

namespace twin::str {
namespace {

TEST(UrlOrigin, KeepsTheSchemeAndAuthorityOnly) {
  EXPECT_EQ(url_origin("http://h:1/a/b?q=1"), "http://h:1");
  EXPECT_EQ(url_origin("http://h:1"), "http://h:1");
  EXPECT_EQ(url_origin("https://edge-a.example.net?x"), "https://edge-a.example.net");
  EXPECT_EQ(url_origin("http://127.0.0.1:8700/mediaa/api/"), "http://127.0.0.1:8700");
}

}  // namespace
}  // namespace twin::str
