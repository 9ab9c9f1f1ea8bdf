#include "dashboard/replication.h"

#include <gtest/gtest.h>

namespace twin::dashboard {
namespace {

AssetView asset(std::string id, std::string locator, std::vector<FileView> files,
                int64_t expiry = 1000) {
  AssetView a;
  a.id = std::move(id);
  a.name = "clip";
  a.files = std::move(files);
  if (!locator.empty()) a.locators.push_back({"sas-" + a.id, "http://x/", 1, 5});
  if (!locator.empty()) a.locators.push_back({locator, "http://x/guid/", 2, expiry});
  return a;
}

DataCenterSnapshot dc(std::string name, std::vector<AssetView> assets) {
  DataCenterSnapshot s;
  s.name = std::move(name);
  s.assets = std::move(assets);
  return s;
}

const std::vector<FileView> kFiles = {{"clip.ism", 2000, true}, {"clip_720.mp4", 900000, false}};

TEST(AssetRows, TheSameOriginLocatorIdMakesOneRowInBoth) {
  auto snapshots =
      std::vector{dc("A", {asset("a1", "L1", kFiles)}), dc("B", {asset("b1", "L1", kFiles)})};
  auto rows = asset_rows(snapshots);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].locator_id, "L1");
  EXPECT_EQ(rows[0].replication, Replication::in_both);
  EXPECT_EQ(rows[0].detail, "in both");
  EXPECT_EQ(rows[0].assets.at("A").id, "a1");
  EXPECT_EQ(rows[0].assets.at("B").id, "b1");
}

TEST(AssetRows, AFileOfAnotherSizeOrMissingOrAnotherExpiryDiffers) {
  auto smaller = kFiles;
  smaller[1].size = 10;
  auto rows =
      asset_rows({dc("A", {asset("a1", "L1", kFiles)}), dc("B", {asset("b1", "L1", smaller)})});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].replication, Replication::differs);
  EXPECT_EQ(rows[0].detail, "A and B differ: file clip_720.mp4: 900000 and 10 bytes");

  auto fewer = std::vector<FileView>{kFiles[0]};
  rows = asset_rows({dc("A", {asset("a1", "L1", kFiles)}), dc("B", {asset("b1", "L1", fewer)})});
  EXPECT_EQ(rows[0].detail, "A and B differ: file clip_720.mp4 is missing");
  rows = asset_rows({dc("A", {asset("a1", "L1", fewer)}), dc("B", {asset("b1", "L1", kFiles)})});
  EXPECT_EQ(rows[0].detail, "A and B differ: file clip_720.mp4 is extra");

  rows = asset_rows(
      {dc("A", {asset("a1", "L1", kFiles, 1000)}), dc("B", {asset("b1", "L1", kFiles, 2000)})});
  EXPECT_EQ(rows[0].replication, Replication::differs);
  EXPECT_EQ(rows[0].detail, "A and B differ: locator L1 expires at different times");
}

TEST(AssetRows, UnmatchedAndUnpublishedAssetsAreRowsOfTheirOwnInOrder) {
  auto rows =
      asset_rows({dc("A", {asset("mezz", "", {{"in.mp4", 5, false}}), asset("a1", "L1", kFiles)}),
                  dc("B", {asset("b2", "L2", kFiles), asset("b1", "L1", kFiles)})});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].assets.at("A").id, "mezz");
  EXPECT_EQ(rows[0].locator_id, "");
  EXPECT_EQ(rows[0].detail, "only in A");
  EXPECT_EQ(rows[1].replication, Replication::in_both);
  EXPECT_EQ(rows[2].assets.at("B").id, "b2");
  EXPECT_EQ(rows[2].replication, Replication::only_in_one);
  EXPECT_EQ(rows[2].detail, "only in B");
}

TEST(AssetRows, TwoAssetsOfOneDataCenterWithOneLocatorIdStayApart) {
  // Locator Ids are unique within a data center; if a broken one repeats, no row may hold two
  // assets of the same data center.
  auto rows = asset_rows({dc("A", {asset("a1", "L1", kFiles), asset("a2", "L1", kFiles)})});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].assets.at("A").id, "a1");
  EXPECT_EQ(rows[1].assets.at("A").id, "a2");
}

TEST(AssetRows, TheFingerprintChangesWithWhatTheMediaApisShowOfTheCopies) {
  auto row = [](std::vector<FileView> b_files, int64_t b_expiry = 1000) {
    auto snapshots = std::vector{dc("A", {asset("a1", "L1", kFiles)}),
                                 dc("B", {asset("b1", "L1", std::move(b_files), b_expiry)})};
    return asset_rows(snapshots).at(0);
  };
  std::string base = fingerprint(row(kFiles), "A", "B");
  // The API's listing order does not matter; a size, a file or the expiry does.
  EXPECT_EQ(fingerprint(row({kFiles[1], kFiles[0]}), "A", "B"), base);
  EXPECT_NE(fingerprint(row({kFiles[0], {"clip_720.mp4", 900001, false}}), "A", "B"), base);
  EXPECT_NE(fingerprint(row({kFiles[0]}), "A", "B"), base);
  EXPECT_NE(fingerprint(row(kFiles, 2000), "A", "B"), base);
  EXPECT_NE(fingerprint(row(kFiles), "B", "A"), base);
}

}  // namespace
}  // namespace twin::dashboard
