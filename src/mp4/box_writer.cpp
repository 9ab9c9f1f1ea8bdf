#include "mp4/box_writer.h"

namespace twin::mp4 {

void BoxWriter::u16(uint16_t v) {
  u8(static_cast<uint8_t>(v >> 8));
  u8(static_cast<uint8_t>(v));
}

void BoxWriter::u24(uint32_t v) {
  u8(static_cast<uint8_t>(v >> 16));
  u16(static_cast<uint16_t>(v));
}

void BoxWriter::u32(uint32_t v) {
  u16(static_cast<uint16_t>(v >> 16));
  u16(static_cast<uint16_t>(v));
}

void BoxWriter::u64(uint64_t v) {
  u32(static_cast<uint32_t>(v >> 32));
  u32(static_cast<uint32_t>(v));
}

size_t BoxWriter::begin(std::string_view type) {
  size_t start = out_.size();
  u32(0);
  fourcc(type);
  return start;
}

size_t BoxWriter::begin_full(std::string_view type, uint8_t version, uint32_t flags) {
  size_t start = begin(type);
  u8(version);
  u24(flags);
  return start;
}

void BoxWriter::end(size_t start) {
  patch_u32(start, static_cast<uint32_t>(out_.size() - start));
}

void BoxWriter::patch_u32(size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) out_[at + i] = static_cast<char>(v >> (24 - 8 * i));
}

}  // namespace twin::mp4
