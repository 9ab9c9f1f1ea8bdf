// `verify`'s own verdict on each asset found in two data centers, for the assets panel: run in
// the background, one verification at a time (it reads every segment of every format through
// both origins, which takes seconds), and kept until the copies change (their fingerprint:
// asset ids, file names and sizes, locator expiry) or someone asks again ("verify now", for a
// change the media APIs do not show, such as a blob rewritten in place). A verification that
// could not reach a side (no connection, a 5xx) says so and is retried after `retry`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/profiles.h"
#include "client/verifier.h"

namespace twin::dashboard {

enum class VerifyState { pending, running, same, different, no_answer };
std::string to_string(VerifyState state);  // "pending", "running", "same", "different", "no-answer"

struct VerifyResult {
  VerifyState state = VerifyState::pending;
  std::vector<client::Check> checks;
  std::string detail;       // the first difference, or why it could not finish
  int64_t finished_ms = 0;  // wall clock, 0 before the first verdict
  int64_t took_ms = 0;      // how long the verification ran
};

// One comparison: the origin locator Id both copies share, from the source data center to the
// target one (verify's --from and --to).
struct VerifyPair {
  std::string locator_id, source, target;
  bool operator<(const VerifyPair& o) const {
    return std::tie(locator_id, source, target) < std::tie(o.locator_id, o.source, o.target);
  }
};

class ReplicationVerifier {
 public:
  // Blocking, may throw; gives up (throws) soon after stop is requested.
  using Verify = std::function<client::Verification(const VerifyPair&, std::stop_token stop)>;
  using Now = std::function<std::chrono::steady_clock::time_point()>;

  explicit ReplicationVerifier(Verify verify,
                               std::chrono::milliseconds retry = std::chrono::minutes(1),
                               Now now = std::chrono::steady_clock::now);
  ~ReplicationVerifier();

  void start();  // the background thread; without it, run_queued does the work
  void stop();   // waits for the verification in flight

  // The verdict for a pair whose copies have this fingerprint; queues a verification when
  // there is none for it yet, or a no-answer one is due for retry.
  VerifyResult observe(const VerifyPair& pair, const std::string& fingerprint);
  // Drops the verdicts on this locator and queues them again; false when none is known.
  bool again(const std::string& locator_id);
  // Runs what is queued, here; returns how many verifications ran.
  size_t run_queued();
  // twin_dashboard_verifications_total{result="same|different|no-answer"}, for /metrics.
  std::string metrics_text();

 private:
  struct Entry {
    std::string fingerprint;
    VerifyResult result;
    std::chrono::steady_clock::time_point retry_at{};
    bool queued = false;
  };
  void queue(const VerifyPair& pair, Entry& entry);
  bool run_one(std::stop_token stop = {});
  VerifyResult verdict(const VerifyPair& pair, std::stop_token stop);

  Verify verify_;
  std::chrono::milliseconds retry_;
  Now now_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::map<VerifyPair, Entry> entries_;
  std::deque<VerifyPair> queue_;
  std::map<VerifyState, uint64_t> verdicts_;  // finished verifications, by verdict
  std::jthread thread_;
};

// Runs verify between two of these data centers, each verification with its own connections.
ReplicationVerifier::Verify verify_between(std::vector<client::DataCenterProfile> profiles);

}  // namespace twin::dashboard
