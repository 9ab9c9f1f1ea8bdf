// Expands a track's sample tables (stts, ctts, stss, stsz, stsc, stco/co64) into one record
// per sample, checking that the tables agree with each other.
#pragma once

#include <vector>

#include "mp4/box_reader.h"
#include "mp4/movie.h"

namespace twin::mp4 {

std::vector<Sample> read_sample_tables(Bytes stbl);

}  // namespace twin::mp4
