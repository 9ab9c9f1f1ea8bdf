#include "front/qoe.h"

#include <algorithm>

namespace twin::front {
namespace {

void keep_recent(std::vector<double>& ring, size_t& next, double value) {
  if (ring.size() < QoeStats::kRecentSamples) {
    ring.push_back(value);
    return;
  }
  ring[next] = value;
  next = (next + 1) % ring.size();
}

// Nearest-rank percentiles of the samples kept.
std::optional<Percentiles> percentiles_of(std::vector<double> samples) {
  if (samples.empty()) return std::nullopt;
  std::sort(samples.begin(), samples.end());
  auto rank = [&](double p) {
    size_t index = static_cast<size_t>(p * double(samples.size()) + 0.999999);
    return samples[std::clamp<size_t>(index, 1, samples.size()) - 1];
  };
  return Percentiles{rank(0.1), rank(0.5), rank(0.9), samples.size()};
}

void add_to_histogram(PathwayQoe& totals, double buffer_ms) {
  double seconds = buffer_ms / 1000;
  size_t bucket = 0;
  while (bucket < kBufferLengthBuckets.size() && seconds > kBufferLengthBuckets[bucket]) ++bucket;
  ++totals.buffer_buckets[bucket];
  totals.buffer_seconds_sum += seconds;
  ++totals.buffer_samples;
}

}  // namespace

void QoeStats::record(const std::string& pathway_id, const Cmcd& cmcd) {
  auto now = clock_.now();
  std::lock_guard lock(mutex_);
  Pathway& pathway = pathways_[pathway_id];
  ++pathway.totals.requests;
  if (cmcd.buffer_length_ms) {
    keep_recent(pathway.recent_buffer_ms, pathway.next_buffer, *cmcd.buffer_length_ms);
    add_to_histogram(pathway.totals, *cmcd.buffer_length_ms);
  }
  if (cmcd.throughput_kbps)
    keep_recent(pathway.recent_throughput_kbps, pathway.next_throughput, *cmcd.throughput_kbps);
  if (!cmcd.session_id.empty()) {
    count_session(pathway, pathway_id, cmcd, now);
  } else if (cmcd.buffer_starvation) {
    ++pathway.totals.starvation_events;  // no session to merge its reports by
  }
}

void QoeStats::count_session(Pathway& pathway, const std::string& pathway_id, const Cmcd& cmcd,
                             Scheduler::TimePoint now) {
  if (!sessions_.contains(cmcd.session_id) && sessions_.size() >= kMaxSessions)
    evict_oldest_session();
  Session& session = sessions_[cmcd.session_id];
  if (std::find(session.pathways_seen.begin(), session.pathways_seen.end(), pathway_id) ==
      session.pathways_seen.end()) {
    session.pathways_seen.push_back(pathway_id);
    ++pathway.totals.sessions;
  }
  session.pathway = pathway_id;
  ++session.requests;
  session.last_seen = now;
  if (cmcd.buffer_length_ms) session.buffer_length_ms = cmcd.buffer_length_ms;
  if (!cmcd.buffer_starvation) return;
  if (session.last_starvation && now - *session.last_starvation < kStarvationMerge) return;
  session.last_starvation = now;
  ++session.starvation_events;
  ++pathway.totals.starvation_events;
}

void QoeStats::evict_oldest_session() {
  auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
    return a.second.last_seen < b.second.last_seen;
  });
  if (oldest != sessions_.end()) sessions_.erase(oldest);
}

std::map<std::string, PathwayQoe> QoeStats::pathways() const {
  auto now = clock_.now();
  std::lock_guard lock(mutex_);
  std::map<std::string, PathwayQoe> out;
  for (const auto& [id, pathway] : pathways_) {
    PathwayQoe& totals = out[id] = pathway.totals;
    totals.buffer_length_ms = percentiles_of(pathway.recent_buffer_ms);
    totals.throughput_kbps = percentiles_of(pathway.recent_throughput_kbps);
  }
  for (const auto& [id, session] : sessions_)
    if (now - session.last_seen <= kActiveWindow) ++out[session.pathway].active_sessions;
  return out;
}

std::vector<SessionQoe> QoeStats::sessions(size_t limit) const {
  auto now = clock_.now();
  std::lock_guard lock(mutex_);
  std::vector<SessionQoe> out;
  for (const auto& [id, s] : sessions_)
    out.push_back(
        {id, s.pathway, s.requests, s.starvation_events, s.buffer_length_ms, now - s.last_seen});
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.since_seen < b.since_seen; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace twin::front
