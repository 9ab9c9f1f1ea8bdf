#include "http/target.h"

#include <gtest/gtest.h>

namespace twin::http {

TEST(Target, KeepsTheRawPathAndDecodesTheQuery) {
  Target t("/acct/c1/dir/a%20b%2Bc.txt?comp=block&blockid=QUJD%3D&Timeout=30&flag");
  EXPECT_EQ(t.raw_path(), "/acct/c1/dir/a%20b%2Bc.txt");
  EXPECT_EQ(t.decoded_path(), "/acct/c1/dir/a b+c.txt");
  EXPECT_EQ(t.param("blockid"), "QUJD=");
  EXPECT_EQ(t.param("timeout"), "30");  // names are matched without case
  EXPECT_EQ(t.param("flag"), "");
  EXPECT_FALSE(t.param("missing"));
  EXPECT_EQ(t.params().size(), 4u);
}

}  // namespace twin::http
