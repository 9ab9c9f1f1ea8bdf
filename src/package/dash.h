// DASH (ISO/IEC 23009-1) static MPD, isoff-live profile: one AdaptationSet for the video layers
// and one per audio rendition, SegmentTemplate with a SegmentTimeline in the 10 MHz timescale
// and $Time$ URLs that name the same fragments as Smooth and HLS. `format` is mpd-time-csf or
// mpd-time-cmaf.
#pragma once

#include <string>

#include "package/presentation.h"

namespace twin::package {

std::string dash_mpd(const Presentation& p, const std::string& format);

}  // namespace twin::package
