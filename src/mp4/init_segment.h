// The initialization segment of one track for fragmented MP4 (HLS fMP4, DASH, CMAF): ftyp and
// a moov with the track's own sample entry, empty sample tables and mvex/trex. No edit list:
// the timing policy is carried by the fragments' composition offsets.
#pragma once

#include <string>

#include "mp4/movie.h"

namespace twin::mp4 {

std::string init_segment(const Track& track);

}  // namespace twin::mp4
