// DASH (ISO/IEC 23009-1) static MPD, isoff-live profile: one AdaptationSet for the video layers
// and one per audio rendition, SegmentTemplate with a SegmentTimeline in the 10 MHz timescale
// and $Time$ URLs that name the same fragments as Smooth and HLS. `format` is mpd-time-csf or
// mpd-time-cmaf.
#pragma once

#include <string>

#include "package/presentation.h"
#include "package/steering.h"

namespace twin::package {

// With steering: one BaseURL per pathway (its serviceLocation, the presentation's directory
// there) and <ContentSteering> naming the server and the default pathway, queried before start.
std::string dash_mpd(const Presentation& p, const std::string& format,
                     const ManifestSteering* steering = nullptr);

}  // namespace twin::package
