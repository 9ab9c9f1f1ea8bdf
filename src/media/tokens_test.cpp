#include "media/tokens.h"

#include <gtest/gtest.h>

#include "common/strings.h"
#include "media/api.h"
#include "media/errors.h"

namespace twin::media {
namespace {

constexpr int64_t kNow = 1'800'000'000;

TEST(Tokens, AnIssuedTokenVerifiesUntilItExpires) {
  std::string token = issue_token("mediaa", "key-a", kNow + 60);
  auto claims = read_token(token);
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->account, "mediaa");
  EXPECT_EQ(claims->expires_on, kNow + 60);
  EXPECT_TRUE(verify_token(token, "key-a", kNow));
  EXPECT_FALSE(verify_token(token, "key-a", kNow + 60));  // expired
  // Clients may send the token decoded once (the SWT form).
  EXPECT_TRUE(verify_token(str::percent_decode(token), "key-a", kNow));
}

TEST(Tokens, ATamperedTokenOrAnotherKeyFails) {
  std::string token = issue_token("mediaa", "key-a", kNow + 60);
  EXPECT_FALSE(verify_token(token, "key-b", kNow));
  std::string longer = token;
  longer.replace(longer.find(std::to_string(kNow + 60)), 10, std::to_string(kNow + 9999));
  EXPECT_FALSE(verify_token(longer, "key-a", kNow));
  std::string renamed = token;
  renamed.replace(renamed.find("mediaa"), 6, "mediab");
  EXPECT_FALSE(verify_token(renamed, "key-a", kNow));
  EXPECT_FALSE(verify_token("", "key-a", kNow));
  EXPECT_FALSE(verify_token("HMACSHA256=", "key-a", kNow));
  EXPECT_FALSE(read_token("garbage"));
}

TEST(LocatorRules, IdsAndPermissions) {
  EXPECT_EQ(normalize_locator_id("BE245661-2BBD-4FC6-B14F-9CF9A1492E5E"),
            "nb:lid:UUID:be245661-2bbd-4fc6-b14f-9cf9a1492e5e");
  EXPECT_EQ(normalize_locator_id("nb:lid:UUID:be245661-2bbd-4fc6-b14f-9cf9a1492e5e"),
            "nb:lid:UUID:be245661-2bbd-4fc6-b14f-9cf9a1492e5e");
  for (const char* bad :
       {"", "nb:lid:UUID:", "be245661", "nb:cid:UUID:be245661-2bbd-4fc6-b14f-9cf9a1492e5e",
        "be245661-2bbd-4fc6-b14f-9cf9a1492e5g"})
    EXPECT_THROW(normalize_locator_id(bad), MediaError) << bad;
  EXPECT_EQ(sas_permissions(1), "r");
  EXPECT_EQ(sas_permissions(2), "w");
  EXPECT_EQ(sas_permissions(15), "rwdl");
}

}  // namespace
}  // namespace twin::media
