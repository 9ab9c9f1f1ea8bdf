#include "common/ids.h"

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
  std::string raw(16, '\0');
  for (size_t i = 0; i < 16; i += 8) {
    uint64_t v = engine();
    std::memcpy(raw.data() + i, &v, 8);
  }
  raw[6] = static_cast<char>((raw[6] & 0x0f) | 0x40);
  raw[8] = static_cast<char>((raw[8] & 0x3f) | 0x80);
  std::string h = crypto::hex(raw);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

std::string new_hex_id(size_t bytes) {
  return crypto::hex(crypto::random_bytes(bytes));
}

}  // namespace twin::ids
