#include "mp4/box_reader.h"

namespace twin::mp4 {

void BoxReader::need(size_t n) const {
  if (n > data_.size() - pos_) throw FormatError("the " + std::string(what_) + " box is truncated");
}

uint8_t BoxReader::u8() {
  need(1);
  return data_[pos_++];
}

uint16_t BoxReader::u16() {
  need(2);
  uint16_t v = static_cast<uint16_t>(data_[pos_] << 8 | data_[pos_ + 1]);
  pos_ += 2;
  return v;
}

uint32_t BoxReader::u24() {
  need(3);
  uint32_t v = uint32_t(data_[pos_]) << 16 | uint32_t(data_[pos_ + 1]) << 8 | data_[pos_ + 2];
  pos_ += 3;
  return v;
}

uint32_t BoxReader::u32() {
  need(4);
  uint32_t v = uint32_t(data_[pos_]) << 24 | uint32_t(data_[pos_ + 1]) << 16 |
               uint32_t(data_[pos_ + 2]) << 8 | data_[pos_ + 3];
  pos_ += 4;
  return v;
}

uint64_t BoxReader::u64() {
  uint64_t high = u32();
  return high << 32 | u32();
}

std::string BoxReader::fourcc() {
  Bytes b = bytes(4);
  return std::string(b.begin(), b.end());
}

Bytes BoxReader::bytes(size_t n) {
  need(n);
  Bytes b = data_.subspan(pos_, n);
  pos_ += n;
  return b;
}

std::pair<uint8_t, uint32_t> BoxReader::full_header() {
  uint8_t version = u8();
  return {version, u24()};
}

BoxHeader parse_box_header(Bytes data) {
  BoxReader r(data, "box header");
  BoxHeader h;
  h.size = r.u32();
  h.type = r.fourcc();
  if (h.size == 1) {
    h.size = r.u64();
    h.header_size = 16;
  }
  if (h.size != 0 && h.size < h.header_size)
    throw FormatError("a " + h.type + " box declares a size smaller than its header");
  return h;
}

void for_each_box(Bytes data, const std::function<void(const Box&)>& fn) {
  size_t pos = 0;
  while (data.size() - pos >= 8) {
    BoxHeader h = parse_box_header(data.subspan(pos));
    uint64_t size = h.size == 0 ? data.size() - pos : h.size;
    if (size > data.size() - pos) throw FormatError("the " + h.type + " box is truncated");
    Bytes whole = data.subspan(pos, size);
    fn(Box{h.type, whole.subspan(h.header_size), whole});
    pos += size;
  }
}

std::optional<Box> find_box(Bytes data, std::string_view type) {
  std::optional<Box> found;
  for_each_box(data, [&](const Box& b) {
    if (!found && b.type == type) found = b;
  });
  return found;
}

Box require_box(Bytes data, std::string_view type) {
  auto b = find_box(data, type);
  if (!b) throw FormatError("the " + std::string(type) + " box is missing");
  return *b;
}

}  // namespace twin::mp4
