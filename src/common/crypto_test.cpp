#include "common/crypto.h"

#include <gtest/gtest.h>

namespace twin::crypto {

TEST(Base64, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
    bytes += static_cast<char>(i * 37);
  }
}

TEST(Base64, KnownValues) {
  EXPECT_EQ(base64_encode("QUJD"), "UVVKRA==");
  EXPECT_EQ(base64_encode("ABC"), "QUJD");
  EXPECT_EQ(base64_encode("AB"), "QUI=");
}

TEST(Base64, DecodesLenientlyLikeNode) {
  EXPECT_EQ(base64_decode("QUI"), "AB");                  // missing padding
  EXPECT_EQ(base64_decode("-_8"), base64_decode("+/8"));  // url-safe alphabet
  EXPECT_FALSE(base64_decode("QU*I").has_value());
}

TEST(Hmac, Rfc4231Case2) {
  EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Md5, IncrementalEqualsOneShot) {
  Md5 m;
  m.update("hello ", 6);
  m.update("world", 5);
  EXPECT_EQ(hex(m.finish()), "5eb63bbbe01eeed093cb22bb8f5acdc3");
  EXPECT_EQ(hex(md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  Md5 unused;  // finished without an update: the digest of nothing
  EXPECT_EQ(hex(unused.finish()), "d41d8cd98f00b204e9800998ecf8427e");
  Md5 moved = std::move(m);  // reset by finish, and still usable after a move
  moved.update("a", 1);
  EXPECT_EQ(hex(moved.finish()), "0cc175b9c0f1b6a831c399e269772661");
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

}  // namespace twin::crypto
