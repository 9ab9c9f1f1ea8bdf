// The front before two scripted origins on loopback: routing, the cache, and what it does when
// the primary refuses, answers 503, is slow to answer, or cuts a body.
#include "front/proxy.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "front/front_service.h"
#include "http/client.h"

namespace twin::front {
namespace {
namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

std::string object_bytes(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>('a' + (i * 7 + i / 13) % 26);
  return out;
}

// Gives the body in 16 KiB pieces and throws after `cut_after` bytes (a crash mid-body).
class PieceSource : public http::BodySource {
 public:
  PieceSource(std::string body, uint64_t cut_after) : body_(std::move(body)), cut_(cut_after) {}
  net::awaitable<std::string_view> next() override {
    if (at_ >= cut_) throw std::runtime_error("origin died mid-body");
    size_t n = std::min<size_t>({16 * 1024, body_.size() - at_, cut_ - at_});
    std::string_view piece(body_.data() + at_, n);
    at_ += n;
    co_return piece;
  }

 private:
  std::string body_;
  uint64_t cut_, at_ = 0;
};

// One origin: /seg (immutable, a strong ETag, Range and If-Match) and /manifest (max-age=1),
// /health; misbehaving as the test says.
class ScriptedOrigin : public http::Handler {
 public:
  explicit ScriptedOrigin(std::string body) : body_(std::move(body)) {}
  std::atomic<unsigned> status{200};
  std::atomic<int> first_byte_delay_ms{0};
  std::atomic<uint64_t> cut_after{UINT64_MAX};
  std::atomic<int> requests{0};
  std::mutex mutex;
  std::vector<std::string> ranges, if_matches, targets;
  std::atomic<int> cmcd_headers{0};

  uint64_t plan_body(http::Exchange&) override { return 0; }
  http::Response handle(http::Exchange&) override { throw std::logic_error("asynchronous"); }
  bool asynchronous() const override { return true; }
  net::awaitable<http::Response> handle_async(http::Exchange& ex) override {
    std::string target(ex.request.target());
    if (target != "/health") {
      ++requests;
      std::lock_guard lock(mutex);
      ranges.emplace_back(ex.request[bhttp::field::range]);
      if_matches.emplace_back(ex.request[bhttp::field::if_match]);
      targets.push_back(target);
      for (const auto& field : ex.request)
        if (field.name_string().starts_with("CMCD")) ++cmcd_headers;
    }
    if (int delay = first_byte_delay_ms; delay > 0 && target != "/health") {
      net::steady_timer timer(co_await net::this_coro::executor, std::chrono::milliseconds(delay));
      co_await timer.async_wait(net::use_awaitable);
    }
    http::Response res{static_cast<bhttp::status>(status.load()), 11};
    if (status != 200) co_return res;
    res.set(bhttp::field::etag, "\"e1\"");
    res.set(bhttp::field::cache_control,
            target == "/manifest" ? "max-age=1" : "max-age=31536000, immutable");
    uint64_t first = 0, length = body_.size();
    std::string range(ex.request[bhttp::field::range]);
    if (!range.empty()) {  // "bytes=N-" or "bytes=N-M", enough for the front's requests
      std::string_view if_match = ex.request[bhttp::field::if_match];
      if (!if_match.empty() && if_match != "\"e1\"") {
        res.result(bhttp::status::precondition_failed);
        co_return res;
      }
      auto dash = range.find('-');
      first = std::stoull(range.substr(6, dash - 6));
      uint64_t last = dash + 1 < range.size() ? std::stoull(range.substr(dash + 1)) : length - 1;
      length = last - first + 1;
      res.result(bhttp::status::partial_content);
      res.set(bhttp::field::content_range, "bytes " + std::to_string(first) + "-" +
                                               std::to_string(last) + "/" +
                                               std::to_string(body_.size()));
    }
    res.body().source = std::make_shared<PieceSource>(body_.substr(first, length), cut_after);
    res.body().source_length = length;
    co_return res;
  }
  http::Response error_response(http::Exchange&, unsigned s, const std::string&,
                                const std::string&) override {
    return http::Response{static_cast<bhttp::status>(s), 11};
  }

 private:
  std::string body_;
};

class FrontProxyTest : public testing::Test {
 protected:
  static constexpr size_t kSize = 300 * 1024;
  void SetUp() override {
    config::HttpLimits limits;
    limits.shutdown_grace_seconds = 1;
    origins_ = std::make_unique<http::Server>(io_, limits, 1);
    port_a_ = origins_->listen("A", {"127.0.0.1", 0}, a_);
    port_b_ = origins_->listen("B", {"127.0.0.1", 0}, b_);
    origins_->start();
    io_.start();
  }
  void TearDown() override {
    if (service_) service_->stop();
    std::promise<void> stopped_front, stopped_origins;
    if (front_) front_->stop([&] { stopped_front.set_value(); });
    origins_->stop([&] { stopped_origins.set_value(); });
    if (front_) stopped_front.get_future().wait();
    stopped_origins.get_future().wait();
    io_.stop();
    io_.join();
  }
  // a_url: empty for A's own port; a closed port makes A refuse.
  void start_front(std::string a_url = "", std::string cache_dir = "") {
    FrontConfig cfg;
    cfg.cache_dir = cache_dir;
    if (a_url.empty()) a_url = "http://127.0.0.1:" + std::to_string(port_a_);
    cfg.origins = {parse_origin_flag("A=" + a_url, 0),
                   parse_origin_flag("B=http://127.0.0.1:" + std::to_string(port_b_), 1)};
    cfg.admin_key = "secret";
    cfg.probe_interval = 200ms;
    service_ = std::make_unique<FrontService>(cfg, io_);
    front_ = std::make_unique<http::Server>(io_, config::HttpLimits{}, 1);
    port_front_ = front_->listen("front", {"127.0.0.1", 0}, service_->handler());
    front_->start();
    service_->start();
  }
  http::ClientResponse get(const std::string& path,
                           std::vector<std::pair<std::string, std::string>> headers = {},
                           std::string method = "GET") {
    http::ClientRequest request;
    request.method = std::move(method);
    request.url = "http://127.0.0.1:" + std::to_string(port_front_) + path;
    request.headers = std::move(headers);
    return http::Client(5s).send(request);
  }
  Origin& origin(const std::string& name) { return *service_->state().find(name); }

  std::string body_ = object_bytes(kSize);
  std::shared_ptr<ScriptedOrigin> a_ = std::make_shared<ScriptedOrigin>(body_);
  std::shared_ptr<ScriptedOrigin> b_ = std::make_shared<ScriptedOrigin>(body_);
  http::IoPool io_{2};
  std::unique_ptr<http::Server> origins_, front_;
  std::unique_ptr<FrontService> service_;
  uint16_t port_a_ = 0, port_b_ = 0, port_front_ = 0;
};

uint16_t closed_port() {
  net::io_context ioc;
  net::ip::tcp::acceptor probe(ioc, {net::ip::make_address("127.0.0.1"), 0});
  return probe.local_endpoint().port();
}

}  // namespace

TEST_F(FrontProxyTest, SendsEverythingToThePrimaryAndKeepsSegmentsInTheCache) {
  start_front();
  auto first = get("/seg");
  EXPECT_EQ(first.status, 200u);
  EXPECT_EQ(first.body, body_);
  EXPECT_EQ(first.header("x-cache"), "MISS");
  EXPECT_EQ(first.header("x-served-by"), "A");
  auto second = get("/seg");
  EXPECT_EQ(second.body, body_);
  EXPECT_EQ(second.header("x-cache"), "HIT");
  EXPECT_EQ(a_->requests, 1);
  EXPECT_EQ(b_->requests, 0);
}

TEST_F(FrontProxyTest, KeepsBodiesOnDiskWhenGivenACacheDirectory) {
  std::string dir = testing::TempDir();
  start_front("", dir);
  EXPECT_EQ(get("/seg").body, body_);
  auto hit = get("/seg", {{"Range", "bytes=10-19"}});
  EXPECT_EQ(hit.header("x-cache"), "HIT");
  EXPECT_EQ(hit.body, body_.substr(10, 10));
  EXPECT_EQ(a_->requests, 1);
}

TEST_F(FrontProxyTest, RefusesACacheDirectoryItCannotWriteIn) {
  FrontConfig cfg;
  cfg.origins = {parse_origin_flag("A=http://127.0.0.1:1", 0)};
  cfg.cache_dir = "/nonexistent/cache";
  EXPECT_THROW(FrontService(cfg, io_), std::runtime_error);
}

TEST_F(FrontProxyTest, AnswersRangesAndConditionsFromTheCachedObject) {
  start_front();
  ASSERT_EQ(get("/seg").status, 200u);
  auto part = get("/seg", {{"Range", "bytes=1000-1999"}});
  EXPECT_EQ(part.status, 206u);
  EXPECT_EQ(part.body, body_.substr(1000, 1000));
  EXPECT_EQ(part.header("content-range"), "bytes 1000-1999/" + std::to_string(kSize));
  EXPECT_EQ(get("/seg", {{"If-None-Match", "\"e1\""}}).status, 304u);
  EXPECT_EQ(get("/seg", {{"If-Match", "\"other\""}}).status, 412u);
  EXPECT_EQ(a_->requests, 1);
}

TEST_F(FrontProxyTest, MakesOneOriginRequestForConcurrentMisses) {
  a_->first_byte_delay_ms = 150;
  start_front();
  std::vector<std::future<http::ClientResponse>> viewers;
  for (int i = 0; i < 6; ++i)
    viewers.push_back(std::async(std::launch::async, [this] { return get("/seg"); }));
  for (auto& v : viewers) EXPECT_EQ(v.get().body, body_);
  EXPECT_EQ(a_->requests, 1);
}

TEST_F(FrontProxyTest, GoesToTheNextOriginWhenThePrimaryRefusesAndMarksItDown) {
  start_front("http://127.0.0.1:" + std::to_string(closed_port()));
  auto res = get("/seg");
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.body, body_);
  EXPECT_EQ(res.header("x-served-by"), "B");
  EXPECT_FALSE(origin("A").health.up());
  EXPECT_EQ(service_->state().counters().failovers, 1u);
}

TEST_F(FrontProxyTest, RetriesA503OnTheNextOrigin) {
  a_->status = 503;
  start_front();
  auto res = get("/seg");
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.header("x-served-by"), "B");
  EXPECT_EQ(a_->requests, 1);
  EXPECT_FALSE(origin("A").health.up());
  EXPECT_EQ(origin("B").retries, 1u);
}

TEST_F(FrontProxyTest, HedgesToTheNextOriginWhenThePrimaryIsLate) {
  a_->first_byte_delay_ms = 1200;  // past the 500 ms hedge budget of an origin with no history
  start_front();
  auto started = std::chrono::steady_clock::now();
  auto res = get("/seg");
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.body, body_);
  EXPECT_EQ(res.header("x-served-by"), "B");
  EXPECT_EQ(origin("B").hedges, 1u);
  EXPECT_LT(waited, 1000ms);  // the hedge answered, not the slow origin
}

TEST_F(FrontProxyTest, ContinuesABodyCutMidwayFromTheNextOrigin) {
  a_->cut_after = 100 * 1024;
  start_front();
  auto res = get("/seg");
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.body.size(), body_.size());
  EXPECT_EQ(res.body, body_);
  ASSERT_EQ(b_->requests, 1);
  EXPECT_EQ(b_->ranges[0], "bytes=" + std::to_string(100 * 1024) + "-");
  EXPECT_EQ(b_->if_matches[0], "\"e1\"");
  EXPECT_EQ(origin("B").resumes, 1u);
  EXPECT_FALSE(origin("A").health.up());
}

TEST_F(FrontProxyTest, ContinuesAViewersRangeWithinItsEnd) {
  a_->cut_after = 20 * 1024;
  start_front();
  // A ranged miss fills the cache with the whole object; the cut happens inside that fill.
  auto res = get("/seg", {{"Range", "bytes=5000-99999"}});
  EXPECT_EQ(res.status, 206u);
  EXPECT_EQ(res.body, body_.substr(5000, 95000));
  ASSERT_EQ(b_->requests, 1);
  EXPECT_EQ(b_->ranges[0], "bytes=" + std::to_string(20 * 1024) + "-");
}

TEST_F(FrontProxyTest, ServesAStaleManifestWhenEveryOriginFails) {
  start_front();
  ASSERT_EQ(get("/manifest").status, 200u);
  std::this_thread::sleep_for(1100ms);  // past max-age=1
  a_->status = 503;
  b_->status = 503;
  auto res = get("/manifest");
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.body, body_);
  EXPECT_EQ(res.header("x-cache"), "HIT");
  EXPECT_NE(res.header("warning").find("Stale"), std::string::npos);
  auto missing = get("/never-cached");
  EXPECT_EQ(missing.status, 503u);
  EXPECT_NE(missing.body.find("A=503"), std::string::npos);
}

TEST_F(FrontProxyTest, PassesHeadThroughWithTheOriginsLength) {
  start_front();
  auto res = get("/seg", {}, "HEAD");
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.header("content-length"), std::to_string(kSize));
  EXPECT_TRUE(res.body.empty());
}

TEST_F(FrontProxyTest, RefusesMethodsItDoesNotForward) {
  start_front();
  EXPECT_EQ(get("/seg", {}, "POST").status, 405u);
  EXPECT_EQ(get("/seg", {}, "DELETE").status, 405u);
  EXPECT_EQ(a_->requests, 0);
}

TEST_F(FrontProxyTest, DrainsAndEnablesAnOriginWithTheAdminKey) {
  start_front();
  EXPECT_EQ(get("/front/origins/A/drain", {}, "POST").status, 401u);
  EXPECT_EQ(get("/front/origins/A/drain", {{"Authorization", "Bearer wrong"}}, "POST").status,
            401u);
  EXPECT_EQ(get("/front/origins/Z/drain", {{"Authorization", "Bearer secret"}}, "POST").status,
            404u);
  auto drained = get("/front/origins/A/drain", {{"Authorization", "Bearer secret"}}, "POST");
  EXPECT_EQ(drained.status, 200u);
  EXPECT_NE(drained.body.find("\"drained\":true"), std::string::npos);
  EXPECT_EQ(get("/other").header("x-served-by"), "B");
  EXPECT_EQ(get("/front/origins/A/enable", {{"Authorization", "Bearer secret"}}, "POST").status,
            200u);
  EXPECT_EQ(get("/other2").header("x-served-by"), "A");
  auto status = get("/front/status");
  EXPECT_EQ(status.status, 200u);
  EXPECT_NE(status.body.find("\"name\":\"A\""), std::string::npos);
}

TEST_F(FrontProxyTest, ReadsCmcdWithoutLettingItIntoTheCacheKeyOrTheOriginRequest) {
  start_front();
  auto first = get("/seg?CMCD=bl%3D2100%2Cot%3Dv%2Csid%3D%22s1%22");
  EXPECT_EQ(first.header("x-cache"), "MISS");
  auto second = get("/seg?CMCD=bl%3D900%2Cbs%2Cot%3Dv%2Csid%3D%22s1%22");
  EXPECT_EQ(second.header("x-cache"), "HIT");
  auto third = get("/seg", {{"CMCD-Request", "bl=4000"}, {"CMCD-Session", "sid=\"s2\""}});
  EXPECT_EQ(third.header("x-cache"), "HIT");
  // Malformed: served all the same, and counted.
  EXPECT_EQ(get("/seg?CMCD=bl%3D%22x").status, 200u);
  EXPECT_EQ(get("/manifest", {{"CMCD-Session", "sid=\"s3\""}}).status, 200u);
  {
    std::lock_guard lock(a_->mutex);
    EXPECT_EQ(a_->targets, (std::vector<std::string>{"/seg", "/manifest"}));
  }
  EXPECT_EQ(a_->cmcd_headers, 0);
  auto& qoe = service_->state().qoe();
  auto none = qoe.pathways()["none"];  // no steering, so no pathway this front is
  EXPECT_EQ(none.requests, 4u);
  EXPECT_EQ(none.sessions, 3u);
  EXPECT_EQ(none.starvation_events, 1u);
  EXPECT_EQ(none.buffer_length_ms->p50, 2100);
  EXPECT_EQ(qoe.malformed_reports(), 1u);
  auto status = get("/front/status");
  EXPECT_NE(status.body.find("\"starvation_events\":1"), std::string::npos) << status.body;
}

}  // namespace twin::front
