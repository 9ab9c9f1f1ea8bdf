// The origin's asset cache over a real metadata store and data files: an asset is indexed once
// and shared, a replaced file is noticed within a second, and the cache stays within its bound
// of indexed samples.
#include "origin/asset_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "blob/meta_store.h"
#include "common/scratch_dir.h"

namespace twin::origin {
namespace {

class AssetCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::Database>((dir_.path() / "meta.sqlite").string());
    meta_ = std::make_unique<blob::MetaStore>(*db_);
    files_ = std::make_unique<blob::DataFiles>((dir_.path() / "blobs").string(), false);
    backend_ = std::make_unique<blob::Backend>(
        blob::Backend{blob::Accounts({}), *meta_, *files_, nullptr, "", {}});
    for (const char* name : {"asset-a", "asset-b"}) {
      blob::ContainerRecord c;
      c.account = "acct";
      c.name = name;
      c.etag = blob::new_etag();
      meta_->create_container(c);
    }
    // 4 s of 25 fps video with 1 s GOPs, one track per file, as the encoder writes them.
    std::string cmd =
        "ffmpeg -nostdin -loglevel error -y -f lavfi -i "
        "testsrc2=size=160x90:rate=25:duration=4 -c:v libx264 -preset ultrafast "
        "-g 25 -keyint_min 25 -sc_threshold 0 -pix_fmt yuv420p -movflags +faststart '" +
        (dir_.path() / "v.mp4").string() + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }

  std::string read(const std::string& name) {
    std::ifstream in(dir_.path() / name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  void put(const std::string& container, const std::string& name, const std::string& bytes) {
    auto temp = files_->create_temp();
    ASSERT_EQ(::write(temp->fd(), bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    std::string id = files_->commit(*temp);
    blob::BlobRecord b;
    b.container_id = meta_->container("acct", container)->id;
    b.name = name;
    b.size = bytes.size();
    b.etag = blob::new_etag();
    b.extents.push_back({id, 0, bytes.size(), ""});
    meta_->put_blob(b, true);
  }

  static std::string ism(const std::string& src) {
    return "<smil xmlns=\"http://www.w3.org/2001/SMIL20/Language\"><body><switch><video src=\"" +
           src + "\" systemBitrate=\"100000\" /></switch></body></smil>";
  }

  ScratchDir dir_{"asset-cache"};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<blob::MetaStore> meta_;
  std::unique_ptr<blob::DataFiles> files_;
  std::unique_ptr<blob::Backend> backend_;
};

TEST_F(AssetCacheTest, IndexesOnceAndShares) {
  put("asset-a", "v.mp4", read("v.mp4"));
  put("asset-a", "a.ism", ism("v.mp4"));
  AssetCache cache(*backend_);
  auto first = cache.get("acct", "asset-a", "a.ism");
  ASSERT_EQ(first->presentation.video.size(), 1u);
  EXPECT_EQ(first->presentation.video[0].segments.size(), 4u);
  EXPECT_EQ(first->samples, 100u);
  EXPECT_EQ(cache.get("acct", "asset-a", "a.ism"), first);
  auto built = first->built("x", [] { return Built{"text", {}, "\"e\"", {}}; });
  EXPECT_EQ(first->built("x", [] { return Built{"other", {}, {}, {}}; }), built);
}

TEST_F(AssetCacheTest, NoticesAReplacedFileWithinASecond) {
  put("asset-a", "v.mp4", read("v.mp4"));
  put("asset-a", "a.ism", ism("v.mp4"));
  AssetCache cache(*backend_);
  auto first = cache.get("acct", "asset-a", "a.ism");
  put("asset-a", "a.ism", ism("v.mp4") + " ");  // same content, new blob
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto second = cache.get("acct", "asset-a", "a.ism");
  EXPECT_NE(second, first);
  EXPECT_EQ(cache.get("acct", "asset-a", "a.ism"), second);
}

TEST_F(AssetCacheTest, StaysWithinItsSampleBound) {
  for (const char* c : {"asset-a", "asset-b"}) {
    put(c, "v.mp4", read("v.mp4"));
    put(c, "a.ism", ism("v.mp4"));
  }
  AssetCache cache(*backend_, 150);  // room for one asset of 100 samples
  auto a = cache.get("acct", "asset-a", "a.ism");
  auto b = cache.get("acct", "asset-b", "a.ism");
  EXPECT_EQ(cache.get("acct", "asset-b", "a.ism"), b);
  EXPECT_NE(cache.get("acct", "asset-a", "a.ism"), a);  // a was evicted and indexed again
}

TEST_F(AssetCacheTest, RefusesWhatItCannotServe) {
  AssetCache cache(*backend_);
  try {
    cache.get("acct", "asset-c", "a.ism");
    FAIL();
  } catch (const AssetError& e) {
    EXPECT_EQ(e.status, 404u);
  }
  put("asset-a", "a.ism", ism("missing.mp4"));
  try {
    cache.get("acct", "asset-a", "a.ism");
    FAIL();
  } catch (const AssetError& e) {
    EXPECT_EQ(e.status, 404u);
    EXPECT_NE(std::string(e.what()).find("missing.mp4"), std::string::npos);
  }
  put("asset-a", "junk.mp4", std::string(5000, 'j'));
  put("asset-a", "b.ism", ism("junk.mp4"));
  try {
    cache.get("acct", "asset-a", "b.ism");
    FAIL();
  } catch (const AssetError& e) {
    EXPECT_EQ(e.status, 415u);
  }
}

}  // namespace
}  // namespace twin::origin
