#include "common/ids.h"

#include "common/crypto.h"

namespace twin::ids {

std::string new_guid() {
  std::string raw = crypto::random_bytes(16);
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
