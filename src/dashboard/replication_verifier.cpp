#include "dashboard/replication_verifier.h"

#include "client/media_client.h"
#include "common/log.h"
#include "common/time.h"

namespace twin::dashboard {

std::string to_string(VerifyState state) {
  switch (state) {
    case VerifyState::pending:
      return "pending";
    case VerifyState::running:
      return "running";
    case VerifyState::same:
      return "same";
    case VerifyState::different:
      return "different";
    case VerifyState::no_answer:
      return "no-answer";
  }
  return "unknown";
}

ReplicationVerifier::ReplicationVerifier(Verify verify, std::chrono::milliseconds retry, Now now)
    : verify_(std::move(verify)), retry_(retry), now_(std::move(now)) {}

ReplicationVerifier::~ReplicationVerifier() {
  stop();
}

void ReplicationVerifier::start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    while (!stop.stop_requested()) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, stop, [this] { return !queue_.empty(); });
      }
      if (!stop.stop_requested()) run_one(stop);
    }
  });
}

void ReplicationVerifier::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void ReplicationVerifier::queue(const VerifyPair& pair, Entry& entry) {
  entry.result = {VerifyState::pending, {}, "", entry.result.finished_ms};
  if (!entry.queued) queue_.push_back(pair);
  entry.queued = true;
  wake_.notify_all();
}

VerifyResult ReplicationVerifier::observe(const VerifyPair& pair, const std::string& fingerprint) {
  std::lock_guard lock(mutex_);
  Entry& entry = entries_[pair];
  bool changed = entry.fingerprint != fingerprint;
  bool retry_due = entry.result.state == VerifyState::no_answer && now_() >= entry.retry_at;
  if (changed || retry_due) {
    entry.fingerprint = fingerprint;
    queue(pair, entry);
  }
  return entry.result;
}

bool ReplicationVerifier::again(const std::string& locator_id) {
  std::lock_guard lock(mutex_);
  bool known = false;
  for (auto& [pair, entry] : entries_) {
    if (pair.locator_id != locator_id) continue;
    queue(pair, entry);  // one running now reads what may have changed: its verdict is dropped
    known = true;
  }
  return known;
}

size_t ReplicationVerifier::run_queued() {
  size_t ran = 0;
  while (run_one()) ++ran;
  return ran;
}

bool ReplicationVerifier::run_one(std::stop_token stop) {
  VerifyPair pair;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) return false;
    pair = queue_.front();
    queue_.pop_front();
    Entry& entry = entries_[pair];
    entry.queued = false;
    entry.result.state = VerifyState::running;
  }
  VerifyResult result = verdict(pair, stop);
  log::info("replica_verified", {{"locator", pair.locator_id},
                                 {"from", pair.source},
                                 {"to", pair.target},
                                 {"result", to_string(result.state)},
                                 {"ms", std::to_string(result.took_ms)},
                                 {"detail", result.detail}});
  std::lock_guard lock(mutex_);
  ++verdicts_[result.state];
  Entry& entry = entries_[pair];
  if (entry.queued) return true;  // asked again while it ran: that run's verdict will come
  entry.result = std::move(result);
  if (entry.result.state == VerifyState::no_answer) entry.retry_at = now_() + retry_;
  return true;
}

std::string ReplicationVerifier::metrics_text() {
  std::lock_guard lock(mutex_);
  std::string out;
  for (auto state : {VerifyState::same, VerifyState::different, VerifyState::no_answer})
    out += "twin_dashboard_verifications_total{result=\"" + to_string(state) + "\"} " +
           std::to_string(verdicts_[state]) + "\n";
  return out;
}

VerifyResult ReplicationVerifier::verdict(const VerifyPair& pair, std::stop_token stop) {
  VerifyResult result;
  auto started = std::chrono::steady_clock::now();
  try {
    client::Verification v = verify_(pair, stop);
    result.state = v.same()           ? VerifyState::same
                   : v.inconclusive() ? VerifyState::no_answer
                                      : VerifyState::different;
    result.checks = std::move(v.checks);
    for (const auto& c : result.checks)
      if (!c.same) {
        result.detail = c.item + ": " + c.detail;
        break;
      }
  } catch (const std::exception& e) {  // a media API that did not answer or refused the reads
    result.state = VerifyState::no_answer;
    result.detail = e.what();
  }
  result.finished_ms = timefmt::unix_micros(timefmt::now()) / 1000;
  result.took_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - started)
                       .count();
  return result;
}

namespace {

const client::DataCenterProfile& named(const std::vector<client::DataCenterProfile>& profiles,
                                       const std::string& name) {
  for (const auto& p : profiles)
    if (p.name == name) return p;
  throw std::runtime_error("no profile for data center " + name);
}

void give_up_when_stopped(const std::stop_token& stop, const std::string&) {
  if (stop.stop_requested()) throw std::runtime_error("the front is stopping");
}

client::Verification verify_pair(const std::vector<client::DataCenterProfile>& profiles,
                                 const VerifyPair& pair, std::stop_token stop) {
  const auto& a = named(profiles, pair.source);
  const auto& b = named(profiles, pair.target);
  client::MediaClient media_a(a, std::chrono::seconds(10)), media_b(b, std::chrono::seconds(10));
  media_a.connect();
  media_b.connect();
  // verify says what it compares next (each format in turn): the moment to stop.
  client::Verifier verifier({a, media_a}, {b, media_b},
                            std::bind(give_up_when_stopped, stop, std::placeholders::_1));
  return verifier.verify_locator(pair.locator_id);
}

}  // namespace

ReplicationVerifier::Verify verify_between(std::vector<client::DataCenterProfile> profiles) {
  return std::bind(verify_pair, std::move(profiles), std::placeholders::_1, std::placeholders::_2);
}

}  // namespace twin::dashboard
