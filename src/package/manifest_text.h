// What the XML manifest builders share: attributes, and the runs of equal durations that both
// Smooth's <c> and DASH's <S> fold (they count the run differently).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/xml.h"

namespace twin::package {

inline std::string attr(const char* name, const std::string& value) {
  return std::string(" ") + name + "=\"" + xml::escape(value) + "\"";
}
inline std::string attr(const char* name, uint64_t value) {
  return attr(name, std::to_string(value));
}

struct DurationRun {
  uint64_t start = 0;     // of the run's first segment
  uint64_t duration = 0;  // of each segment in the run
  size_t count = 0;       // segments in the run
};

// Start times followed by the end time → runs of equal durations.
inline std::vector<DurationRun> duration_runs(const std::vector<uint64_t>& times) {
  std::vector<DurationRun> runs;
  for (size_t i = 0; i + 1 < times.size(); ++i) {
    uint64_t d = times[i + 1] - times[i];
    if (!runs.empty() && runs.back().duration == d)
      ++runs.back().count;
    else
      runs.push_back({times[i], d, 1});
  }
  return runs;
}

}  // namespace twin::package
