#include "blob/xml_format.h"

#include <gtest/gtest.h>

#include "blob/errors.h"

namespace twin::blob::xmlfmt {

TEST(XmlFormat, ParsesBlockLists) {
  auto entries = parse_block_list(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList><Latest>QUJD</Latest>"
      "<Committed>REVG</Committed><Uncommitted> R0hJ </Uncommitted></BlockList>");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].kind, BlockListKind::latest);
  EXPECT_EQ(entries[1].id, "REVG");
  EXPECT_EQ(entries[2].id, "R0hJ");
  EXPECT_TRUE(parse_block_list("<BlockList/>").empty());
}

TEST(XmlFormat, RefusesBadBlockLists) {
  EXPECT_THROW(parse_block_list("<BlockList><Latest>"), StorageError);
  EXPECT_THROW(parse_block_list("<Other/>"), StorageError);
  EXPECT_THROW(parse_block_list("<BlockList><Bogus>x</Bogus></BlockList>"), StorageError);
}

TEST(XmlFormat, ListingAlwaysHasBlobsAndEscapes) {
  ListBlobsArgs args;
  args.service_endpoint = "http://127.0.0.1:10000/acct/";
  args.container = "c";
  args.max_results = 5000;
  ListPage empty;
  std::string xml = list_blobs(args, empty);
  EXPECT_NE(xml.find("<Blobs></Blobs>"), std::string::npos);
  ListPage page;
  BlobRecord b;
  b.name = "a&b<c>.mp4";
  b.etag = "0x8D1";
  page.blobs.push_back(b);
  page.prefixes.push_back("dir/");
  page.next_marker = "next";
  xml = list_blobs(args, page);
  EXPECT_NE(xml.find("<Name>a&amp;b&lt;c&gt;.mp4</Name>"), std::string::npos);
  EXPECT_NE(xml.find("<BlobPrefix><Name>dir/</Name></BlobPrefix>"), std::string::npos);
  EXPECT_NE(xml.find("<NextMarker>next</NextMarker>"), std::string::npos);
}

TEST(XmlFormat, SignedIdentifiersRoundTrip) {
  std::vector<AccessPolicy> acl{
      {"locator-1", "2025-01-01T00:00:00Z", "2030-01-01T00:00:00Z", "rl"}};
  auto back = parse_signed_identifiers(signed_identifiers(acl));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].id, "locator-1");
  EXPECT_EQ(back[0].permission, "rl");
  EXPECT_TRUE(parse_signed_identifiers("").empty());
  EXPECT_THROW(
      parse_signed_identifiers("<SignedIdentifiers><SignedIdentifier/></SignedIdentifiers>"),
      StorageError);
}

}  // namespace twin::blob::xmlfmt
