// Converting media times between timescales: rounded to nearest, exact in 128 bits, always from
// absolute times (never by summing rounded durations).
#pragma once

#include <cstdint>

namespace twin::mp4 {

inline uint64_t rescale(uint64_t time, uint64_t from, uint64_t to) {
  __extension__ typedef unsigned __int128 u128;
  return static_cast<uint64_t>((u128(time) * to + from / 2) / from);
}

}  // namespace twin::mp4
