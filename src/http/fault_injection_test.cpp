// Drill faults on a real listener: off until set with the key, then 503 for everything (the
// server's own /health too) or a delay before each request, and the control path never faulted.
#include "http/fault_injection.h"

#include <gtest/gtest.h>

#include <chrono>

#include "http/client.h"

namespace twin::http {
namespace {
using Clock = std::chrono::steady_clock;

class OkHandler : public Handler {
 public:
  uint64_t plan_body(Exchange&) override { return 1024; }
  Response handle(Exchange&) override {
    Response res{boost::beast::http::status::ok, 11};
    res.body().text = "fine";
    return res;
  }
  Response error_response(Exchange&, unsigned status, const std::string& code,
                          const std::string&) override {
    Response res{static_cast<boost::beast::http::status>(status), 11};
    res.body().text = "<Error>" + code + "</Error>";
    return res;
  }
};

class FaultInjectionTest : public testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(pool_, config::HttpLimits{});
    port_ = server_->listen("test", {"127.0.0.1", 0}, std::make_shared<OkHandler>(), faults_);
    server_->start();
    pool_.start();
  }
  void TearDown() override {
    server_->stop([this] { pool_.stop(); });
    pool_.join();
  }
  ClientResponse send(const std::string& method, const std::string& path, bool with_key = true) {
    ClientRequest req{method, "http://127.0.0.1:" + std::to_string(port_) + path, {}, {}};
    if (with_key) req.headers.emplace_back("Authorization", "Bearer drill-key");
    return client_.send(req);
  }
  std::shared_ptr<FaultInjection> faults_ = std::make_shared<FaultInjection>("drill-key");
  IoPool pool_{1};
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  Client client_;
};

TEST_F(FaultInjectionTest, OffUntilSetWithTheKey) {
  EXPECT_EQ(send("GET", "/seg").body, "fine");
  EXPECT_EQ(send("POST", "/faults?mode=503", false).status, 401u);
  EXPECT_EQ(send("GET", "/seg").status, 200u);
  auto state = send("GET", "/faults");
  EXPECT_EQ(state.status, 200u);
  EXPECT_EQ(state.body, "{\"mode\":\"off\"}\n");
  EXPECT_EQ(send("PUT", "/faults?mode=503").status, 405u);
  EXPECT_EQ(send("POST", "/faults?mode=teapot").status, 400u);
  EXPECT_EQ(send("POST", "/faults?mode=slow&delay_ms=0").status, 400u);
  EXPECT_EQ(faults_->current().mode, FaultMode::off);
}

TEST_F(FaultInjectionTest, Unavailable503sEverythingButTheControlPath) {
  EXPECT_EQ(send("POST", "/faults?mode=503").status, 200u);
  auto seg = send("GET", "/seg");
  EXPECT_EQ(seg.status, 503u);
  EXPECT_EQ(seg.body, "<Error>ServiceUnavailable</Error>");  // in the handler's own shape
  EXPECT_EQ(send("GET", "/health").status, 503u);
  EXPECT_EQ(send("POST", "/faults?mode=off").status, 200u);
  EXPECT_EQ(send("GET", "/health").status, 200u);
  EXPECT_EQ(send("GET", "/seg").body, "fine");
}

TEST_F(FaultInjectionTest, SlowHoldsEachRequestForTheDelay) {
  EXPECT_EQ(send("POST", "/faults?mode=slow&delay_ms=300").body,
            "{\"delay_ms\":300,\"mode\":\"slow\"}\n");
  auto started = Clock::now();
  EXPECT_EQ(send("GET", "/seg").body, "fine");
  EXPECT_GE(Clock::now() - started, std::chrono::milliseconds(300));
  started = Clock::now();
  EXPECT_EQ(send("GET", "/faults").status, 200u);  // the control path is not held
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(300));
}

}  // namespace
}  // namespace twin::http
