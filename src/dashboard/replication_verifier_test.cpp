// The background verdicts of the assets panel: one verification per new fingerprint, kept until
// the copies change or someone asks again, a no-answer retried once its time has come. The
// verification itself is verify's (client::Verifier, run against real data centers in the
// dashboard's e2e test); here a stand-in answers what verify would have found.
#include "dashboard/replication_verifier.h"

#include <gtest/gtest.h>

namespace twin::dashboard {
namespace {
using namespace std::chrono_literals;
using Time = std::chrono::steady_clock::time_point;

struct StandIn {
  std::vector<VerifyPair> asked;
  std::vector<client::Check> answer = {{"blobs", true, "2 blobs"}, {"files", true, "2 entities"}};
  bool fail = false;
  client::Verification operator()(const VerifyPair& pair, std::stop_token) {
    asked.push_back(pair);
    if (fail) throw std::runtime_error("connection refused");
    return {pair.locator_id, "a1", "b1", answer};
  }
};

class ReplicationVerifierTest : public ::testing::Test {
 protected:
  StandIn stand_in_;
  Time now_{};
  ReplicationVerifier verifier_{
      [this](const VerifyPair& p, std::stop_token s) { return stand_in_(p, s); }, 60s,
      [this] { return now_; }};
  const VerifyPair pair_{"L1", "A", "B"};
};

TEST_F(ReplicationVerifierTest, VerifiesOncePerFingerprintAndKeepsTheVerdict) {
  EXPECT_EQ(verifier_.observe(pair_, "f1").state, VerifyState::pending);
  EXPECT_EQ(verifier_.observe(pair_, "f1").state, VerifyState::pending);
  EXPECT_EQ(verifier_.run_queued(), 1u);  // asked twice, queued once
  VerifyResult r = verifier_.observe(pair_, "f1");
  EXPECT_EQ(r.state, VerifyState::same);
  ASSERT_EQ(r.checks.size(), 2u);
  EXPECT_EQ(r.checks[0].detail, "2 blobs");
  EXPECT_GT(r.finished_ms, 0);
  EXPECT_EQ(verifier_.run_queued(), 0u);
  ASSERT_EQ(stand_in_.asked.size(), 1u);
  EXPECT_EQ(stand_in_.asked[0].target, "B");
  EXPECT_NE(
      verifier_.metrics_text().find("twin_dashboard_verifications_total{result=\"same\"} 1\n"),
      std::string::npos);

  // The copies changed: verified again.
  EXPECT_EQ(verifier_.observe(pair_, "f2").state, VerifyState::pending);
  EXPECT_EQ(verifier_.run_queued(), 1u);
  EXPECT_EQ(stand_in_.asked.size(), 2u);
}

TEST_F(ReplicationVerifierTest, ADifferenceIsTheFirstCheckThatFailed) {
  stand_in_.answer = {{"blobs", true, "2 blobs"},
                      {"files", false, "clip.ism ContentFileSize: 2000 in A, 1999 in B"},
                      {"hls (m3u8-aapl)", false, "other bytes"}};
  verifier_.observe(pair_, "f1");
  verifier_.run_queued();
  VerifyResult r = verifier_.observe(pair_, "f1");
  EXPECT_EQ(r.state, VerifyState::different);
  EXPECT_EQ(r.detail, "files: clip.ism ContentFileSize: 2000 in A, 1999 in B");
}

TEST_F(ReplicationVerifierTest, NoAnswerIsNotADifferenceAndIsRetriedWhenDue) {
  stand_in_.answer = {{"blobs", true, "2 blobs"},
                      {"smooth", false, "status: 0 in A, 200 in B", true}};
  verifier_.observe(pair_, "f1");
  verifier_.run_queued();
  EXPECT_EQ(verifier_.observe(pair_, "f1").state, VerifyState::no_answer);
  now_ += 59s;
  verifier_.observe(pair_, "f1");
  EXPECT_EQ(verifier_.run_queued(), 0u);
  now_ += 1s;
  stand_in_.fail = true;  // a media API that does not answer at all
  EXPECT_EQ(verifier_.observe(pair_, "f1").state, VerifyState::pending);
  EXPECT_EQ(verifier_.run_queued(), 1u);
  VerifyResult r = verifier_.observe(pair_, "f1");
  EXPECT_EQ(r.state, VerifyState::no_answer);
  EXPECT_EQ(r.detail, "connection refused");
  EXPECT_NE(
      verifier_.metrics_text().find("twin_dashboard_verifications_total{result=\"no-answer\"} 2\n"),
      std::string::npos);
  // One real difference beside a no-answer is a difference.
  stand_in_.fail = false;
  stand_in_.answer = {{"blobs", false, "clip.ism is missing in B"},
                      {"smooth", false, "status: 0 in A, 200 in B", true}};
  now_ += 60s;
  verifier_.observe(pair_, "f1");
  verifier_.run_queued();
  EXPECT_EQ(verifier_.observe(pair_, "f1").state, VerifyState::different);
}

TEST_F(ReplicationVerifierTest, AgainQueuesEveryPairOfTheLocatorAndOnlyKnownOnes) {
  EXPECT_FALSE(verifier_.again("L1"));
  verifier_.observe(pair_, "f1");
  verifier_.observe({"L1", "A", "C"}, "g1");
  verifier_.observe({"L2", "A", "B"}, "h1");
  EXPECT_EQ(verifier_.run_queued(), 3u);
  EXPECT_TRUE(verifier_.again("L1"));
  EXPECT_EQ(verifier_.observe(pair_, "f1").state, VerifyState::pending);
  EXPECT_EQ(verifier_.observe({"L2", "A", "B"}, "h1").state, VerifyState::same);
  EXPECT_EQ(verifier_.run_queued(), 2u);
  EXPECT_EQ(verifier_.observe(pair_, "f1").state, VerifyState::same);
}

TEST_F(ReplicationVerifierTest, TheBackgroundThreadRunsWhatIsQueued) {
  verifier_.start();
  verifier_.observe(pair_, "f1");
  for (int i = 0; i < 500 && verifier_.observe(pair_, "f1").state != VerifyState::same; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(verifier_.observe(pair_, "f1").state, VerifyState::same);
  verifier_.stop();
}

}  // namespace
}  // namespace twin::dashboard
