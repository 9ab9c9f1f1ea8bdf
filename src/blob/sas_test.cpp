// SAS vectors produced by @azure/storage-blob 12.32.0 (see shared/research/blob-api.md §3).
#include "blob/sas.h"

#include <gtest/gtest.h>

#include "common/config.h"
#include "common/crypto.h"

namespace twin::blob {
namespace {
std::string sign(const std::string& to_sign) {
  auto key = crypto::base64_decode(config::kDevKey).value();
  return crypto::base64_encode(crypto::hmac_sha256(key, to_sign));
}
SasToken parse(const std::string& query) {
  return parse_sas(http::Target("/x?" + query)).value();
}
}  // namespace

TEST(Sas, ContainerVector) {
  auto t = parse(
      "sv=2026-04-06&spr=https%2Chttp&st=2025-01-01T00%3A00%3A00Z&se=2030-01-01T00%3A00%3A00Z"
      "&sip=127.0.0.1&sr=c&sp=rwl&sig=x");
  auto resource = sas_resource(t, "devstoreaccount1", "asset-1", "");
  EXPECT_EQ(resource, "/blob/devstoreaccount1/asset-1");
  EXPECT_EQ(sign(service_sas_string_to_sign(t, resource)),
            "JCzM1DhRwX5GGSYAqPq4JdIet2PTIB5xcQlPpbIHTq0=");
}

TEST(Sas, BlobVectorUsesTheUnescapedName) {
  auto t = parse("sv=2026-04-06&se=2030-01-01T00:00:00Z&sr=b&sp=r&rscd=attachment&sig=x");
  auto resource = sas_resource(t, "devstoreaccount1", "asset-1", "dir/a b.mp4");
  EXPECT_EQ(resource, "/blob/devstoreaccount1/asset-1/dir/a b.mp4");
  EXPECT_EQ(sign(service_sas_string_to_sign(t, resource)),
            "BmG/7gfpve8or7Q1RRoeBnKWcPTk2MlLqSBIE96Oqdc=");
}

TEST(Sas, StoredPolicyVector) {
  auto t = parse("sv=2026-04-06&si=policy1&sr=c&sig=x");
  EXPECT_EQ(sign(service_sas_string_to_sign(t, sas_resource(t, "devstoreaccount1", "asset-1", ""))),
            "ZZAmudI+2EPcrxFBmjXQ4i9TV9+5AFpPIVDLZkPy2k4=");
}

TEST(Sas, AccountVector) {
  auto t = parse(
      "sv=2026-04-06&ss=b&srt=sco&spr=https&st=2025-01-01T00:00:00Z&se=2030-01-01T00:00:00Z"
      "&sp=rwdlac&sig=x");
  EXPECT_TRUE(t.is_account());
  EXPECT_EQ(sign(account_sas_string_to_sign(t, "devstoreaccount1")),
            "Amewio+h5/aKjlVGqqAh2V2QG2aJYDH6hRX4tYmMIfg=");
}

TEST(Sas, TutorialEraLayoutHasNoBlobPrefix) {
  auto t = parse("sv=2014-02-14&sr=c&sp=rw&se=2030-01-01T00:00:00Z&sig=x");
  auto resource = sas_resource(t, "mediaa", "asset-1", "");
  EXPECT_EQ(resource, "/mediaa/asset-1");
  EXPECT_EQ(service_sas_string_to_sign(t, resource),
            "rw\n\n2030-01-01T00:00:00Z\n/mediaa/asset-1\n\n2014-02-14\n\n\n\n\n");
}

TEST(Sas, SourceIpRanges) {
  EXPECT_TRUE(ip_in_range("127.0.0.1", "127.0.0.1"));
  EXPECT_TRUE(ip_in_range("10.0.0.1-10.0.0.9", "10.0.0.5"));
  EXPECT_FALSE(ip_in_range("10.0.0.1-10.0.0.9", "10.0.0.10"));
  EXPECT_FALSE(ip_in_range("garbage", "10.0.0.1"));
}

TEST(Sas, AbsentWithoutSignature) {
  EXPECT_FALSE(parse_sas(http::Target("/x?sv=2020-01-01")));
}

}  // namespace twin::blob
