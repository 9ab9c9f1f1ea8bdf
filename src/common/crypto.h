// Hashes, MACs and encodings used by the wire protocols (Shared Key, SAS, Content-MD5).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace twin::crypto {

std::string base64_encode(std::string_view bytes);
// Lenient like Node's Buffer.from(s, "base64"): accepts the url-safe alphabet and missing padding.
// Returns nullopt only for characters outside both alphabets.
std::optional<std::string> base64_decode(std::string_view text);

std::string hmac_sha256(std::string_view key, std::string_view message);
std::string md5(std::string_view bytes);
std::string sha256(std::string_view bytes);
std::string hex(std::string_view bytes);

// Compares in time independent of where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

std::string random_bytes(size_t count);

// Incremental MD5 for streamed bodies.
class Md5 {
 public:
  Md5();
  ~Md5();
  Md5(Md5&&) noexcept;
  Md5& operator=(Md5&&) noexcept;
  void update(const void* data, size_t size);
  std::string finish();  // raw 16 bytes; the object is reset afterwards

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace twin::crypto
