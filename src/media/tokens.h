// Bearer tokens in the shape ACS issued for Media Services (a Simple Web Token: form-encoded
// claims and an HMACSHA256 signature), signed with the media account's own key, so a token of
// one account can never pass as another's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace twin::media {

struct TokenClaims {
  std::string account;
  int64_t expires_on = 0;  // unix seconds
};

// The access_token value (already URL-encoded, as ACS returned it).
std::string issue_token(const std::string& account, const std::string& key,
                        int64_t expires_on_unix);
// Parses a token and returns its claims; does not check the signature (see verify_token).
std::optional<TokenClaims> read_token(const std::string& token);
// True when the signature matches the key and the token has not expired at now_unix.
bool verify_token(const std::string& token, const std::string& key, int64_t now_unix);

}  // namespace twin::media
