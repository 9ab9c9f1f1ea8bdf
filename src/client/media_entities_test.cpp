#include "client/media_entities.h"

#include <gtest/gtest.h>

namespace twin::client {
namespace {

using nlohmann::json;

TEST(MediaEntities, ReadsVerboseODataShapes) {
  json file = {{"Id", "nb:cid:UUID:1"},
               {"Name", "clip.ism"},
               {"ContentFileSize", "1234"},
               {"IsPrimary", true},
               {"MimeType", "application/octet-stream"}};
  AssetFile f = file_from(file);
  EXPECT_EQ(f.size, 1234);
  EXPECT_TRUE(f.primary);
  json locator = {{"Id", "nb:lid:UUID:9"},       {"Type", 2},
                  {"StartTime", "/Date(1000)/"}, {"ExpirationDateTime", "/Date(61000)/"},
                  {"BaseUri", "http://s/a/c"},   {"ContentAccessComponent", "?sv=1&sig=x"}};
  Locator l = locator_from(locator);
  EXPECT_EQ(l.start_ms, 1000);
  EXPECT_EQ(l.expiry_ms, 61000);
  EXPECT_EQ(l.blob_url("a b.mp4"), "http://s/a/c/a%20b.mp4?sv=1&sig=x");
  locator["StartTime"] = nullptr;
  EXPECT_FALSE(locator_from(locator).start_ms);
  Asset a =
      asset_from({{"Id", "nb:cid:UUID:2"}, {"Uri", "http://s/storea/asset-2"}, {"Options", 1}});
  EXPECT_EQ(a.container(), "asset-2");
  EXPECT_EQ(a.options, kStorageEncrypted);
}

TEST(MediaEntities, DatesRoundTripAndRefuseGarbage) {
  EXPECT_EQ(odata_date_ms(odata_date(1337049393000)), 1337049393000);
  EXPECT_FALSE(odata_date_ms("/Date(12x)/"));
  EXPECT_FALSE(odata_date_ms(json(5)));
  EXPECT_FALSE(odata_date_ms("2024-01-01T00:00:00Z"));
}

TEST(MediaEntities, ThePrimaryManifestIsThePrimaryIsm) {
  std::vector<AssetFile> files = {{"1", "clip.ismc", "", 1, true}, {"2", "clip.ism", "", 1, false}};
  EXPECT_EQ(primary_manifest(files), nullptr);
  files[1].primary = true;
  EXPECT_EQ(primary_manifest(files)->name, "clip.ism");
}

}  // namespace
}  // namespace twin::client
