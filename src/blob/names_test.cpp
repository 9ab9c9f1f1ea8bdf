#include "blob/names.h"

#include <gtest/gtest.h>

namespace twin::blob::names {

TEST(Names, Containers) {
  EXPECT_FALSE(container_problem("asset-3f2a9c"));
  EXPECT_FALSE(container_problem("$root"));
  EXPECT_TRUE(container_problem("rc"));
  EXPECT_TRUE(container_problem(std::string(64, 'a')));
  EXPECT_TRUE(container_problem("Upper"));
  EXPECT_TRUE(container_problem("a--b"));
  EXPECT_TRUE(container_problem("-ab"));
  EXPECT_TRUE(container_problem("ab-"));
}

TEST(Names, Blobs) {
  EXPECT_FALSE(blob_problem("dir/a b+c.mp4"));
  EXPECT_FALSE(blob_problem("vidéo.mp4"));
  EXPECT_TRUE(blob_problem(""));
  EXPECT_TRUE(blob_problem(std::string(1025, 'a')));
  EXPECT_TRUE(blob_problem("bad\x01name"));
  EXPECT_TRUE(blob_problem("\xff\xfe"));
  EXPECT_TRUE(blob_problem("trunc\xc3"));
}

TEST(Names, MetadataAndBlocks) {
  EXPECT_TRUE(valid_metadata_name("Mtime"));
  EXPECT_TRUE(valid_metadata_name("_x1"));
  EXPECT_FALSE(valid_metadata_name("1x"));
  EXPECT_FALSE(valid_metadata_name("a-b"));
  EXPECT_TRUE(valid_block_id("QUJD"));
  EXPECT_FALSE(valid_block_id(""));
  EXPECT_FALSE(valid_block_id("!!"));
  EXPECT_FALSE(valid_block_id(std::string(100, 'Q')));  // 75 bytes decoded
}

TEST(Names, BackslashIsStoredAsSlash) {
  EXPECT_EQ(normalized_blob("dir\\sub\\a.mp4"), "dir/sub/a.mp4");
  EXPECT_EQ(normalized_blob("plain.mp4"), "plain.mp4");
}

}  // namespace twin::blob::names
