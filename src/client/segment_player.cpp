#include "client/segment_player.h"

#include <cstdlib>
#include <thread>

#include "client/stream_urls.h"
#include "http/client.h"

namespace twin::client {
namespace {

using Clock = std::chrono::steady_clock;

struct Segment {
  std::string url;
  double duration = 0;
};

std::vector<Segment> segments_of(const std::string& playlist, const std::string& url) {
  std::vector<Segment> out;
  double duration = 0;
  size_t start = 0;
  while (start < playlist.size()) {
    size_t end = playlist.find('\n', start);
    if (end == std::string::npos) end = playlist.size();
    std::string line = playlist.substr(start, end - start);
    start = end + 1;
    if (line.starts_with("#EXTINF:"))
      duration = std::strtod(line.c_str() + 8, nullptr);
    else if (!line.empty() && line[0] != '#')
      out.push_back({resolve_url(url, line), duration});
  }
  return out;
}

}  // namespace

SegmentPlayer::SegmentPlayer(std::string master_url, double buffer_goal_seconds,
                             std::chrono::milliseconds retry_delay)
    : master_url_(std::move(master_url)), goal_(buffer_goal_seconds), retry_delay_(retry_delay) {}

std::string SegmentPlayer::get(const std::string& url, const std::atomic<bool>& stop) {
  http::Client http(std::chrono::seconds(20));
  while (!stop) {
    PlayerRequest r{Clock::now(), {}, 0, {}, url};
    std::string body;
    try {
      http::ClientResponse res = http.send({"GET", url, {}, {}}, 64ull << 20);
      r.status = res.status;
      r.served_by = res.header("X-Served-By");
      body = std::move(res.body);
    } catch (const http::ClientError&) {
      r.status = 0;
    }
    r.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - r.started);
    bool ok = r.status >= 200 && r.status < 300;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(std::move(r));
    }
    if (ok) return body;
    std::this_thread::sleep_for(retry_delay_);
  }
  return {};
}

void SegmentPlayer::wait_while_full(const std::atomic<bool>& stop) {
  while (!stop && playing_) {
    double playhead =
        std::min(buffered_end_, std::chrono::duration<double>(Clock::now() - play_start_).count());
    if (buffered_end_ - playhead < goal_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void SegmentPlayer::on_segment(double duration) {
  auto now = Clock::now();
  if (!playing_) {
    playing_ = true;
    play_start_ = now;
  } else {
    // The playhead reached the end of the buffer while this segment was on its way.
    auto ran_out = play_start_ + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(buffered_end_));
    if (now > ran_out) {
      std::lock_guard lock(mutex_);
      stalls_.push_back(
          {ran_out, std::chrono::duration_cast<std::chrono::milliseconds>(now - ran_out)});
      play_start_ += now - ran_out;
    }
  }
  buffered_end_ += duration;
}

void SegmentPlayer::play_variant(const std::string& playlist_url, const std::atomic<bool>& stop) {
  std::string playlist = get(playlist_url, stop);
  for (const auto& uri : hls_uris(playlist))
    if (uri.find("=i,") != std::string::npos || uri.ends_with(".mp4")) {
      get(resolve_url(playlist_url, uri), stop);  // the init segment (EXT-X-MAP)
      break;
    }
  for (const auto& segment : segments_of(playlist, playlist_url)) {
    wait_while_full(stop);
    if (stop) return;
    get(segment.url, stop);
    if (!stop) on_segment(segment.duration);
  }
}

void SegmentPlayer::play(const std::atomic<bool>& stop) {
  std::string master = get(master_url_, stop);
  std::vector<std::string> variants;
  size_t start = 0;
  while (start < master.size()) {
    size_t end = master.find('\n', start);
    if (end == std::string::npos) end = master.size();
    std::string line = master.substr(start, end - start);
    if (!line.empty() && line[0] != '#') variants.push_back(resolve_url(master_url_, line));
    start = end + 1;
  }
  for (size_t round = 0; !stop && !variants.empty(); ++round)
    play_variant(variants[round % variants.size()], stop);
}

std::vector<PlayerRequest> SegmentPlayer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<PlayerStall> SegmentPlayer::stalls() const {
  std::lock_guard lock(mutex_);
  return stalls_;
}

size_t SegmentPlayer::errors() const {
  std::lock_guard lock(mutex_);
  size_t n = 0;
  for (const auto& r : requests_) n += r.status < 200 || r.status >= 300;
  return n;
}

}  // namespace twin::client
