#include "mp4/avc.h"

#include <cstdio>

namespace twin::mp4 {

std::string hex_upper(Bytes bytes) {
  static const char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

namespace {
std::vector<std::vector<uint8_t>> read_parameter_sets(BoxReader& r, int count) {
  std::vector<std::vector<uint8_t>> sets;
  for (int i = 0; i < count; ++i) {
    Bytes nal = r.bytes(r.u16());
    if (nal.empty()) throw FormatError("the avcC box has an empty parameter set");
    sets.emplace_back(nal.begin(), nal.end());
  }
  return sets;
}
}  // namespace

AvcConfig parse_avcc(Bytes payload) {
  BoxReader r(payload, "avcC");
  if (r.u8() != 1) throw FormatError("the avcC box has an unknown configuration version");
  r.skip(3);  // profile, compatibility, level: repeated in the SPS, which is what we read
  AvcConfig c;
  c.nal_length_size = (r.u8() & 3) + 1;
  c.sps = read_parameter_sets(r, r.u8() & 31);
  c.pps = read_parameter_sets(r, r.u8());
  if (c.sps.empty() || c.pps.empty()) throw FormatError("the avcC box lacks an SPS or a PPS");
  if (c.sps[0].size() < 4) throw FormatError("the SPS is too short");
  return c;
}

std::string AvcConfig::codec_string() const {
  char text[16];
  std::snprintf(text, sizeof text, "avc1.%02x%02x%02x", sps[0][1], sps[0][2], sps[0][3]);
  return text;
}

std::string AvcConfig::annexb_hex() const {
  std::string out;
  for (const auto* sets : {&sps, &pps})
    for (const auto& nal : *sets) out += "00000001" + hex_upper(nal);
  return out;
}

}  // namespace twin::mp4
