// Recent first-byte latencies of one origin, and the hedge budget derived from them: a request
// still waiting past it is sent to the next origin too. Twice the 90th percentile of the last
// 64, between 20 ms and 500 ms: a healthy origin's slow tail does not trigger hedges, a hung one
// is overtaken within half a second (the anchor: nginx's backup waits out a hung origin with live
// requests, 1.1 s stalls in the research notes).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>

namespace twin::front {

class LatencyWindow {
 public:
  using Duration = std::chrono::steady_clock::duration;
  static constexpr Duration kMinBudget = std::chrono::milliseconds(20);
  static constexpr Duration kMaxBudget = std::chrono::milliseconds(500);

  void record(Duration first_byte);
  // 500 ms until 8 samples are known.
  Duration hedge_budget() const;
  size_t samples() const { return count_ < kSize ? count_ : kSize; }

 private:
  static constexpr size_t kSize = 64;
  std::array<Duration, kSize> ring_{};
  size_t count_ = 0;
};

}  // namespace twin::front
