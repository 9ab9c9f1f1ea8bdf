// The Smooth Streaming client manifest (MS-SSTR 2.2 with r repeat tags), also written next to
// the .ism by the encoder as the .ismc.
#pragma once

#include <string>

#include "package/presentation.h"

namespace twin::package {

constexpr uint64_t kSmoothTimescale = 10'000'000;

// version 2.2 (r repeat tags); legacy_v20 gives the 2.0 form of (format=fmp4-v20): MinorVersion 0,
// one <c n="…" d="…"/> per fragment.
std::string smooth_manifest(const Presentation& p, bool legacy_v20 = false);

// Start times of a rendition's fragments in the Smooth timescale, rounded from absolute media
// times (never summed from rounded durations), then the end time as the last element.
std::vector<uint64_t> smooth_fragment_times(const Rendition& r);

// Language of an audio rendition, from its .ism track name "aac_<lang>_…", else "und".
std::string audio_language(const Rendition& r);

}  // namespace twin::package
