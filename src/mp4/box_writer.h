// Appends ISO-BMFF boxes to a string, big-endian; a box's size is patched when it ends, so
// callers write boxes as nested scopes (Bento4's one-class-per-box, reduced to functions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "mp4/box_reader.h"

namespace twin::mp4 {

class BoxWriter {
 public:
  explicit BoxWriter(std::string& out) : out_(out) {}

  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(uint16_t v);
  void u24(uint32_t v);
  void u32(uint32_t v);
  void u64(uint64_t v);
  void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
  void fourcc(std::string_view code) { out_.append(code.substr(0, 4)); }
  void bytes(Bytes b) { out_.append(reinterpret_cast<const char*>(b.data()), b.size()); }
  void zeros(size_t n) { out_.append(n, '\0'); }

  // Starts a box (returns where it starts); end() writes its size.
  size_t begin(std::string_view type);
  size_t begin_full(std::string_view type, uint8_t version, uint32_t flags);
  void end(size_t start);

  size_t size() const { return out_.size(); }
  void patch_u32(size_t at, uint32_t v);

 private:
  std::string& out_;
};

}  // namespace twin::mp4
