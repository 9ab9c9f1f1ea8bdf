#include "media/tokens.h"

#include <charconv>

#include "common/crypto.h"
#include "common/strings.h"

namespace twin::media {
namespace {

constexpr const char* kIssuer = "https://twinorigin/acs/";
constexpr const char* kAudience = "urn:WindowsAzureMediaServices";

std::string claims_text(const std::string& account, int64_t expires_on) {
  return "urn%3aMediaServicesAccount=" + str::percent_encode(account) +
         "&Audience=" + str::percent_encode(kAudience) +
         "&ExpiresOn=" + std::to_string(expires_on) + "&Issuer=" + str::percent_encode(kIssuer);
}

std::string signature(const std::string& key, const std::string& claims) {
  return crypto::base64_encode(crypto::hmac_sha256(key, claims));
}

// The token travels URL-encoded; clients send it back as they got it, or decoded once.
std::string decoded(const std::string& token) {
  return token.find("HMACSHA256=") == std::string::npos ? str::percent_decode(token) : token;
}

}  // namespace

std::string issue_token(const std::string& account, const std::string& key,
                        int64_t expires_on_unix) {
  std::string claims = claims_text(account, expires_on_unix);
  return str::percent_encode(claims + "&HMACSHA256=" + str::percent_encode(signature(key, claims)));
}

std::optional<TokenClaims> read_token(const std::string& token) {
  std::string text = decoded(token);
  TokenClaims c;
  bool has_expiry = false;
  for (auto part : str::split(text, '&')) {
    auto eq = part.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string name = str::percent_decode(part.substr(0, eq));
    std::string value = str::percent_decode(part.substr(eq + 1));
    if (name == "urn:MediaServicesAccount") c.account = value;
    if (name == "ExpiresOn") {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), c.expires_on);
      has_expiry = ec == std::errc() && end == value.data() + value.size();
    }
  }
  if (c.account.empty() || !has_expiry) return std::nullopt;
  return c;
}

bool verify_token(const std::string& token, const std::string& key, int64_t now_unix) {
  std::string text = decoded(token);
  auto at = text.rfind("&HMACSHA256=");
  if (at == std::string::npos) return false;
  std::string claims = text.substr(0, at);
  std::string given = str::percent_decode(text.substr(at + 12));
  if (!crypto::constant_time_equal(given, signature(key, claims))) return false;
  auto c = read_token(text);
  return c && c->expires_on > now_unix;
}

}  // namespace twin::media
