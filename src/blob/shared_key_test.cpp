// Shared Key vectors produced by @azure/storage-blob 12.32.0 (see shared/research/blob-api.md
// §2.4).
#include "blob/shared_key.h"

#include <gtest/gtest.h>

#include "common/config.h"
#include "common/crypto.h"

namespace twin::blob {
namespace {
std::string sign(const std::string& to_sign) {
  auto key = crypto::base64_decode(config::kDevKey).value();
  return crypto::base64_encode(crypto::hmac_sha256(key, to_sign));
}

SigningInput put_block_request() {
  SigningInput in;
  in.method = "PUT";
  in.headers = {{"Content-Length", "3"},
                {"Content-Type", "application/octet-stream"},
                {"x-ms-client-request-id", "b4e5e2bf-fb15-442d-b7a8-e60e0b31dbec"},
                {"x-ms-date", "Wed, 25 Nov 2026 08:30:15 GMT"},
                {"x-ms-version", "2026-04-06"}};
  in.raw_path = "/devstoreaccount1/c1/dir/a%20b%2Bc.txt";
  http::Target t(in.raw_path + "?comp=block&blockid=QUJD");
  in.params = t.params();
  in.account = "devstoreaccount1";
  return in;
}
}  // namespace

TEST(SharedKey, MatchesTheSdkVector) {
  auto in = put_block_request();
  std::string to_sign = shared_key_string_to_sign(in, {});
  EXPECT_EQ(to_sign,
            "PUT\n\n\n3\n\napplication/octet-stream\n\n\n\n\n\n\n"
            "x-ms-client-request-id:b4e5e2bf-fb15-442d-b7a8-e60e0b31dbec\n"
            "x-ms-date:Wed, 25 Nov 2026 08:30:15 GMT\nx-ms-version:2026-04-06\n"
            "/devstoreaccount1/devstoreaccount1/c1/dir/a%20b%2Bc.txt\nblockid:QUJD\ncomp:block");
  EXPECT_EQ(sign(to_sign), "3W4lvcbxV+7bXarlb9KA9Cm+RlLL+obtthI7OhKIKKc=");
}

TEST(SharedKey, ZeroLengthIsBlankFrom2015AndLiteralBefore) {
  auto in = put_block_request();
  in.headers[0].second = "0";
  EXPECT_EQ(shared_key_string_to_sign(in, {}).substr(0, 7), "PUT\n\n\n\n");
  in.headers[4].second = "2014-02-14";
  auto variants = shared_key_variants(in);
  ASSERT_FALSE(variants.empty());
  EXPECT_TRUE(variants[0].zero_length_literal);
  EXPECT_EQ(shared_key_string_to_sign(in, variants[0]).substr(0, 8), "PUT\n\n\n0\n");
}

TEST(SharedKey, DateIsBlankWhenXmsDateIsPresent) {
  auto in = put_block_request();
  in.headers.emplace_back("Date", "Wed, 25 Nov 2026 08:30:15 GMT");
  EXPECT_EQ(shared_key_string_to_sign(in, {}), shared_key_string_to_sign(put_block_request(), {}));
  EXPECT_EQ(shared_key_variants(in).size(), 2u);  // and the raw Date is tried as a fallback
}

TEST(SharedKey, EmptyHeadersAndRepeatedParametersAreCanonical) {
  SigningInput in;
  in.method = "GET";
  in.headers = {{"X-Ms-Blob-Cache-Control", ""}, {"x-ms-version", "2020-10-02"}};
  in.raw_path = "/acct/c";
  http::Target t("/acct/c?restype=container&comp=list&delimiter=&include=metadata");
  in.params = t.params();
  in.account = "acct";
  std::string s = shared_key_string_to_sign(in, {});
  EXPECT_NE(s.find("x-ms-blob-cache-control:\nx-ms-version:2020-10-02\n"), std::string::npos);
  EXPECT_NE(s.find("/acct/acct/c\ncomp:list\ndelimiter:\ninclude:metadata\nrestype:container"),
            std::string::npos);
}

TEST(SharedKey, CollationPutsUnderscoreBeforeDigits) {
  EXPECT_TRUE(collation_less("x-ms-meta-i_", "x-ms-meta-i0"));
  EXPECT_FALSE(std::string("x-ms-meta-i_") < std::string("x-ms-meta-i0"));
}

}  // namespace twin::blob
