// Bounds-checked reading of ISO-BMFF boxes from a byte span. Every read past the end of a box
// throws FormatError naming the box, so a truncated or hostile file is refused, never overrun.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace twin::mp4 {

struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Bytes = std::span<const uint8_t>;

// A cursor over one box's payload (or any byte range).
class BoxReader {
 public:
  BoxReader(Bytes data, std::string_view what) : data_(data), what_(what) {}

  uint8_t u8();
  uint16_t u16();
  uint32_t u24();
  uint32_t u32();
  uint64_t u64();
  int32_t i32() { return static_cast<int32_t>(u32()); }
  std::string fourcc();
  Bytes bytes(size_t n);
  void skip(size_t n) { bytes(n); }
  // version and flags of a FullBox
  std::pair<uint8_t, uint32_t> full_header();

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  Bytes rest() const { return data_.subspan(pos_); }

 private:
  void need(size_t n) const;
  Bytes data_;
  size_t pos_ = 0;
  std::string_view what_;
};

struct Box {
  std::string type;
  Bytes payload;  // after the header
  Bytes whole;    // header included
};

// Calls fn for each box laid end to end in data; throws on a box that overruns data.
void for_each_box(Bytes data, const std::function<void(const Box&)>& fn);
// The first child box of the given type, if any.
std::optional<Box> find_box(Bytes data, std::string_view type);
// The first child of the given type; throws FormatError naming it when absent.
Box require_box(Bytes data, std::string_view type);

// Size of a box header at the start of data (8 or 16), and the box's total size.
struct BoxHeader {
  std::string type;
  uint64_t size = 0;  // 0 in the file means "to the end"
  size_t header_size = 8;
};
BoxHeader parse_box_header(Bytes data);

}  // namespace twin::mp4
