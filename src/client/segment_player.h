// A viewer without a browser, for the demo's drill: plays an HLS stream in real time with a 4 s
// forward buffer, the way a player's buffer controller does. It loads the master playlist, then
// per variant the media playlist, the init segment and each segment when the buffer falls under
// the goal; playback starts with the first segment and stalls when the playhead reaches the end
// of the buffer. A failed request counts as an error and is retried after 1 s (hls.js's
// default delay). At the end of the stream it plays it again from the next variant (other URLs,
// so a cache in front does not answer everything). Every request is recorded.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace twin::client {

struct PlayerRequest {
  std::chrono::steady_clock::time_point started;
  std::chrono::milliseconds took{0};
  unsigned status = 0;  // 0: a network error
  std::string served_by;
  std::string url;
};

struct PlayerStall {
  std::chrono::steady_clock::time_point at;
  std::chrono::milliseconds length{0};
};

class SegmentPlayer {
 public:
  explicit SegmentPlayer(std::string master_url, double buffer_goal_seconds = 4.0,
                         std::chrono::milliseconds retry_delay = std::chrono::seconds(1));
  // Plays until stop is set (from another thread).
  void play(const std::atomic<bool>& stop);

  // Copies, safe while play() runs.
  std::vector<PlayerRequest> requests() const;
  std::vector<PlayerStall> stalls() const;
  size_t errors() const;

 private:
  std::string get(const std::string& url, const std::atomic<bool>& stop);
  void play_variant(const std::string& playlist_url, const std::atomic<bool>& stop);
  void wait_while_full(const std::atomic<bool>& stop);
  void on_segment(double duration);

  std::string master_url_;
  double goal_;
  std::chrono::milliseconds retry_delay_;
  // Playback: seconds of media buffered, and when the playhead was at 0 (moved on by stalls).
  double buffered_end_ = 0;
  bool playing_ = false;
  std::chrono::steady_clock::time_point play_start_;
  mutable std::mutex mutex_;
  std::vector<PlayerRequest> requests_;
  std::vector<PlayerStall> stalls_;
};

}  // namespace twin::client
