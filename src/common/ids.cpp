#include "common/ids.h"

#include <cctype>
#include <cstring>
#include <random>

#include "common/crypto.h"

namespace twin::ids {

std::string new_guid() {
  // Request and copy ids need uniqueness, not secrecy: a per-thread generator seeded from the
  // system's random source avoids a locked RAND_bytes call per request.
  thread_local std::mt19937_64 engine = [] {
    std::string seed = crypto::random_bytes(16);
    std::seed_seq seq(seed.begin(), seed.end());
    return std::mt19937_64(seq);
  }();
  unsigned char raw[16];
  for (size_t i = 0; i < 16; i += 8) {
    uint64_t v = engine();
    std::memcpy(raw + i, &v, 8);
  }
  raw[6] = static_cast<unsigned char>((raw[6] & 0x0f) | 0x40);
  raw[8] = static_cast<unsigned char>((raw[8] & 0x3f) | 0x80);
  // Written in place: one allocation per id (a request id is made for every request).
  static const char digits[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t at = 0;
  for (size_t i = 0; i < 16; ++i) {
    if (at == 8 || at == 13 || at == 18 || at == 23) ++at;
    out[at++] = digits[raw[i] >> 4];
    out[at++] = digits[raw[i] & 15];
  }
  return out;
}

std::string new_hex_id(size_t bytes) {
  return crypto::hex(crypto::random_bytes(bytes));
}

bool is_guid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

}  // namespace twin::ids
