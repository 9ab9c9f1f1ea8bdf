#include "cli/demo_drill.h"

#include <signal.h>

#include <optional>
#include <thread>

#include "client/segment_player.h"

namespace twin::cli {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct FirstServed {
  milliseconds after;  // from the event to the end of that response
  milliseconds took;   // the request itself
};

// The first successful request served by `origin` that started after `since`.
std::optional<FirstServed> first_from(const client::SegmentPlayer& player,
                                      const std::string& origin, Clock::time_point since) {
  for (const auto& r : player.requests())
    if (r.started >= since && r.status >= 200 && r.status < 300 && r.served_by == origin)
      return FirstServed{std::chrono::duration_cast<milliseconds>(r.started + r.took - since),
                         r.took};
  return std::nullopt;
}

class Drill {
 public:
  Drill(DemoCluster& cluster, const std::atomic<bool>& interrupted, std::ostream& out,
        client::SegmentPlayer& player)
      : cluster_(cluster), interrupted_(interrupted), out_(out), player_(player) {}

  // Waits `hold`, or until `origin` serves when `until_served`; returns the time to it.
  std::optional<FirstServed> phase(const std::string& name, const std::string& origin,
                                   milliseconds hold, bool until_served) {
    auto since = Clock::now();
    out_ << "drill: " << name << std::endl;
    auto deadline = since + hold;
    std::optional<FirstServed> first;
    while (!interrupted_ && Clock::now() < deadline) {
      first = first_from(player_, origin, since);
      if (first && until_served) break;
      std::this_thread::sleep_for(milliseconds(50));
    }
    if (!first) first = first_from(player_, origin, since);
    std::string line =
        name + ": " +
        (first ? "first response from " + origin + " " + std::to_string(first->after.count()) +
                     " ms after (the player asks every 2 s; that request took " +
                     std::to_string(first->took.count()) + " ms)"
               : "no response from " + origin + " within " + std::to_string(hold.count() / 1000) +
                     " s");
    out_ << "  " << line << std::endl;
    report.events.push_back(line);
    return first;
  }

  DrillReport report;

 private:
  DemoCluster& cluster_;
  const std::atomic<bool>& interrupted_;
  std::ostream& out_;
  client::SegmentPlayer& player_;
};

}  // namespace

std::string DrillReport::summary() const {
  std::string s = "drill: " + std::to_string(requests) + " requests through the front, " +
                  std::to_string(errors) + " errors, " + std::to_string(stalls) + " stalls";
  if (stalls) s += " (" + std::to_string(stall_ms) + " ms)";
  return s;
}

DrillReport run_drill(DemoCluster& cluster, const client::ReplicationResult& published,
                      const std::atomic<bool>& interrupted, std::ostream& out) {
  std::string master = cluster.front_url() +
                       published.url_a.substr(cluster.a().streaming_url.size()) +
                       "(format=m3u8-aapl)";
  out << "\ndrill: a player (real time, 4 s buffer) plays " << master << std::endl;
  client::SegmentPlayer player(master);
  std::atomic<bool> stop{false};
  std::thread playing([&] { player.play(stop); });
  Drill drill(cluster, interrupted, out, player);
  DemoDataCenter& a = cluster.a();
  drill.phase("normal playback", "A", milliseconds(6000), false);
  a.process.kill();
  drill.phase("A killed (SIGKILL)", "B", milliseconds(8000), false);
  a.start();  // the same ports and data
  drill.phase("A restarted", "A", milliseconds(20000), true);
  a.process.signal(SIGSTOP);
  drill.phase("A hung (SIGSTOP)", "B", milliseconds(8000), false);
  a.process.signal(SIGCONT);
  drill.phase("A resumed (SIGCONT)", "A", milliseconds(20000), true);
  stop = true;
  playing.join();
  DrillReport& r = drill.report;
  r.requests = player.requests().size();
  r.errors = player.errors();
  for (const auto& s : player.stalls()) {
    ++r.stalls;
    r.stall_ms += s.length.count();
  }
  return r;
}

}  // namespace twin::cli
