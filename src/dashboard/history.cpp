#include "dashboard/history.h"

namespace twin::dashboard {
namespace {

double per_second(uint64_t now, uint64_t before, double seconds) {
  return seconds > 0 && now >= before ? double(now - before) / seconds : 0;
}

}  // namespace

StatusHistory::StatusHistory(front::FrontState& state, front::Scheduler& scheduler,
                             std::chrono::milliseconds interval)
    : state_(state), scheduler_(scheduler), interval_(interval) {}

StatusHistory::~StatusHistory() {
  stop();
}

void StatusHistory::start() {
  *running_ = true;
  sample();
  schedule();
}

void StatusHistory::stop() {
  *running_ = false;
}

void StatusHistory::schedule() {
  std::weak_ptr<bool> running = running_;
  scheduler_.after(interval_, [this, running] {
    auto alive = running.lock();
    if (!alive || !*alive) return;
    sample();
    schedule();
  });
}

StatusHistory::Totals StatusHistory::read_totals() const {
  Totals totals;
  totals.at = scheduler_.now();
  for (const auto& origin : state_.origins())
    totals.origins[origin->config.name] = {origin->requests.load(), origin->failures.load()};
  auto cache = state_.cache().stats();
  totals.hits = cache.hits;
  totals.misses = cache.misses;
  return totals;
}

void StatusHistory::sample() {
  Totals now = read_totals();
  Sample s;
  s.taken = now.at;
  double seconds =
      last_ ? std::chrono::duration<double>(now.at - last_->at).count() : 0;  // 0: no rates yet
  for (const auto& origin : state_.origins()) {
    OriginSample o;
    o.up = origin->health.up();
    o.drained = origin->drained;
    if (auto latency = origin->health.last_probe_latency())
      o.probe_ms = std::chrono::duration<double, std::milli>(*latency).count();
    if (last_) {
      auto [requests, failures] = now.origins[origin->config.name];
      auto [requests_before, failures_before] = last_->origins[origin->config.name];
      o.requests_per_second = per_second(requests, requests_before, seconds);
      o.failures_per_second = per_second(failures, failures_before, seconds);
    }
    s.origins[origin->config.name] = o;
  }
  if (last_) {
    s.cache_hits_per_second = per_second(now.hits, last_->hits, seconds);
    s.cache_misses_per_second = per_second(now.misses, last_->misses, seconds);
  }
  last_ = std::move(now);
  std::lock_guard lock(mutex_);
  samples_.push_back(std::move(s));
  if (samples_.size() > kSamples) samples_.pop_front();
}

std::vector<Sample> StatusHistory::samples() const {
  auto now = scheduler_.now();
  std::lock_guard lock(mutex_);
  std::vector<Sample> out(samples_.begin(), samples_.end());
  for (auto& s : out) s.age_seconds = std::chrono::duration<double>(now - s.taken).count();
  return out;
}

}  // namespace twin::dashboard
