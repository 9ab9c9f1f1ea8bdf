#include "front/latency.h"

#include <algorithm>
#include <vector>

namespace twin::front {

void LatencyWindow::record(Duration first_byte) {
  ring_[count_ % kSize] = first_byte;
  ++count_;
}

LatencyWindow::Duration LatencyWindow::hedge_budget() const {
  size_t n = samples();
  if (n < 8) return kMaxBudget;
  std::vector<Duration> sorted(ring_.begin(), ring_.begin() + static_cast<std::ptrdiff_t>(n));
  auto p90 = sorted.begin() + static_cast<std::ptrdiff_t>(n * 9 / 10);
  std::nth_element(sorted.begin(), p90, sorted.end());
  return std::clamp(*p90 * 2, kMinBudget, kMaxBudget);
}

}  // namespace twin::front
