#include "blob/meta_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/ids.h"

namespace twin::blob {
namespace {
class MetaStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::TempDir() + "/meta-" + ids::new_hex_id(4) + ".sqlite";
    db_ = std::make_unique<store::Database>(path_);
    meta_ = std::make_unique<MetaStore>(*db_);
    ContainerRecord c;
    c.account = "acct";
    c.name = "asset-1";
    c.etag = new_etag();
    ASSERT_TRUE(meta_->create_container(c));
    EXPECT_FALSE(meta_->create_container(c));
    container_ = meta_->container("acct", "asset-1")->id;
  }
  void TearDown() override {
    meta_.reset();
    db_.reset();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  BlobRecord put(const std::string& name, const std::string& file) {
    BlobRecord b;
    b.container_id = container_;
    b.name = name;
    b.size = 1;
    b.etag = new_etag();
    b.extents.push_back({file, 0, 1, ""});
    meta_->put_blob(b, true);
    return b;
  }
  std::string path_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<MetaStore> meta_;
  int64_t container_ = 0;
};
}  // namespace

TEST_F(MetaStoreTest, APageEndingOnAPrefixResumesAfterIt) {
  for (auto n : {"a/1", "a/2", "a/3", "b/1", "c"}) put(n, "f" + std::string(n));
  std::vector<std::string> seen;
  std::string marker;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = meta_->list_blobs(container_, "", "/", marker, 1);
    for (const auto& p : page.prefixes) seen.push_back(p);
    for (const auto& b : page.blobs) seen.push_back(b.name);
    marker = page.next_marker;
    if (marker.empty()) break;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a/", "b/", "c"}));
}

TEST_F(MetaStoreTest, ListsUncommittedBlobsWhenAsked) {
  put("done", "f1");
  meta_->put_block(container_, "staged", {"QUJD", 3, "f2", 0});
  meta_->put_block(container_, "done", {"QUJD", 3, "f3", 0});  // committed already: listed once
  auto plain = meta_->list_blobs(container_, "", "", "", 5000);
  ASSERT_EQ(plain.blobs.size(), 1u);
  auto all = meta_->list_blobs(container_, "", "", "", 5000, true);
  ASSERT_EQ(all.blobs.size(), 2u);
  EXPECT_EQ(all.blobs[0].name, "done");
  EXPECT_EQ(all.blobs[0].size, 1u);
  EXPECT_EQ(all.blobs[1].name, "staged");
  EXPECT_EQ(all.blobs[1].size, 0u);
  EXPECT_FALSE(all.blobs[1].etag.empty());
}

TEST_F(MetaStoreTest, ListsWithDelimiterAndPages) {
  for (auto n : {"a/1", "a/2", "a/sub/3", "b/4", "top"}) put(n, "f" + std::string(n));
  auto page = meta_->list_blobs(container_, "", "/", "", 5000);
  ASSERT_EQ(page.blobs.size(), 1u);
  EXPECT_EQ(page.blobs[0].name, "top");
  EXPECT_EQ(page.prefixes, (std::vector<std::string>{"a/", "b/"}));
  page = meta_->list_blobs(container_, "a/", "/", "", 5000);
  EXPECT_EQ(page.blobs.size(), 2u);
  EXPECT_EQ(page.prefixes, std::vector<std::string>{"a/sub/"});
  page = meta_->list_blobs(container_, "", "", "", 2);
  EXPECT_EQ(page.blobs.size(), 2u);
  EXPECT_EQ(page.next_marker, "a/2");
  page = meta_->list_blobs(container_, "", "", page.next_marker, 2);
  EXPECT_EQ(page.blobs[0].name, "a/sub/3");
}

TEST_F(MetaStoreTest, PagingVisitsEveryBlobOnceForAnyPageSize) {
  std::vector<std::string> names{"a/1", "a/2", "a/sub/3", "b/4", "top"};
  for (const auto& n : names) put(n, "f" + n);
  for (size_t limit = 1; limit <= 6; ++limit) {
    std::vector<std::string> seen;
    std::string marker;
    for (int pages = 0; pages < 10; ++pages) {
      auto page = meta_->list_blobs(container_, "", "", marker, limit);
      for (const auto& b : page.blobs) seen.push_back(b.name);
      if (page.next_marker.empty()) break;
      marker = page.next_marker;
    }
    EXPECT_EQ(seen, names) << "page size " << limit;
  }
}

TEST_F(MetaStoreTest, ReportsFilesOnlyWhenNoLongerReferenced) {
  put("one", "shared");
  put("two", "shared");  // a same-process copy shares the file
  auto one = meta_->blob(container_, "one");
  EXPECT_TRUE(meta_->delete_blob(one->id).empty());
  auto two = meta_->blob(container_, "two");
  EXPECT_EQ(meta_->delete_blob(two->id), std::vector<std::string>{"shared"});
}

TEST_F(MetaStoreTest, OverwriteDropsOldFilesAndUncommittedBlocks) {
  meta_->put_block(container_, "b", {"QUJD", 3, "blockfile"});
  EXPECT_EQ(meta_->uncommitted_blocks(container_, "b").size(), 1u);
  put("b", "first");
  EXPECT_TRUE(meta_->uncommitted_blocks(container_, "b").empty());
  BlobRecord again;
  again.container_id = container_;
  again.name = "b";
  again.etag = new_etag();
  again.extents.push_back({"second", 0, 1, ""});
  auto dropped = meta_->put_blob(again, true);
  EXPECT_EQ(dropped, std::vector<std::string>{"first"});
  auto refs = meta_->referenced_files();
  EXPECT_EQ(refs, std::vector<std::string>{"second"});
}

TEST_F(MetaStoreTest, DeletingAContainerReturnsItsFiles) {
  put("x", "fx");
  meta_->put_block(container_, "y", {"QUJD", 3, "fy"});
  auto files = meta_->delete_container(container_);
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"fx", "fy"}));
  EXPECT_FALSE(meta_->container("acct", "asset-1"));
}

}  // namespace twin::blob

namespace twin::blob {
namespace {

TEST_F(MetaStoreTest, ServiceCorsIsKeptPerAccountAndReadingItLeavesNoStaleSnapshot) {
  EXPECT_EQ(meta_->service_cors("acct"), "<Cors />");
  meta_->set_service_cors("acct", "<Cors><CorsRule/></Cors>");
  EXPECT_EQ(meta_->service_cors("other"), "<Cors />");
  EXPECT_EQ(meta_->service_cors("acct"), "<Cors><CorsRule/></Cors>");
  // A container made after that read (which found a row) is seen by the next read on this
  // thread's connection.
  ContainerRecord c;
  c.account = "acct";
  c.name = "asset-2";
  c.etag = new_etag();
  ASSERT_TRUE(meta_->create_container(c));
  EXPECT_TRUE(meta_->container("acct", "asset-2").has_value());
  meta_->set_service_cors("acct", "<Cors />");
  EXPECT_EQ(meta_->service_cors("acct"), "<Cors />");
}

}  // namespace
}  // namespace twin::blob
