// The server and the client against each other on a loopback port.
#include "http/server.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <thread>

#include "http/client.h"

namespace twin::http {
namespace {

class EchoHandler : public Handler {
 public:
  uint64_t plan_body(Exchange&) override { return 1024; }
  Response handle(Exchange& ex) override {
    if (ex.request.target() == "/throw") throw std::runtime_error("boom");
    Response res{boost::beast::http::status::ok, 11};
    res.body().text = std::string(ex.request.method_string()) + " " +
                      std::string(ex.request.target()) + " " + ex.request.body().memory;
    return res;
  }
  Response error_response(Exchange&, unsigned status, const std::string& code,
                          const std::string&) override {
    Response res{static_cast<boost::beast::http::status>(status), 11};
    res.body().text = code;
    return res;
  }
};

class ServerTest : public testing::Test {
 protected:
  void SetUp() override {
    config::HttpLimits limits;
    limits.max_header_bytes = 2048;
    limits.shutdown_grace_seconds = 1;
    limits.idle_timeout_seconds = 1;
    server_ = std::make_unique<Server>(pool_, limits);
    port_ = server_->listen("test", {"127.0.0.1", 0}, std::make_shared<EchoHandler>());
    server_->start();
    pool_.start();
  }
  void TearDown() override {
    server_->stop([this] { pool_.stop(); });
    pool_.join();
  }
  std::string url(const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  IoPool pool_{2};
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
};
}  // namespace

TEST_F(ServerTest, AnswersRequestsWithBodies) {
  Client client;
  auto res = client.send({"POST", url("/echo?x=1"), {}, "hello"});
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.body, "POST /echo?x=1 hello");
  EXPECT_EQ(res.header("content-length"), "20");
}

TEST_F(ServerTest, HealthAndMetrics) {
  Client client;
  client.send({"GET", url("/echo"), {}, ""});
  auto health = client.send({"GET", url("/health"), {}, ""});
  EXPECT_EQ(health.status, 200u);
  EXPECT_NE(health.body.find("ok"), std::string::npos);
  auto metrics = client.send({"GET", url("/metrics"), {}, ""});
  EXPECT_NE(metrics.body.find("twin_http_requests_total{service=\"test\",code=\"2xx\"}"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("twin_http_request_duration_seconds_bucket"), std::string::npos);
}

TEST_F(ServerTest, RefusesOversizedHeadersAndBodies) {
  Client client;
  auto big_header = client.send({"GET", url("/echo"), {{"x-big", std::string(4000, 'a')}}, ""});
  EXPECT_EQ(big_header.status, 431u);
  auto big_body = client.send({"POST", url("/echo"), {}, std::string(5000, 'b')});
  EXPECT_EQ(big_body.status, 413u);
  EXPECT_EQ(big_body.body, "RequestBodyTooLarge");
  // The server is still there.
  EXPECT_EQ(client.send({"GET", url("/echo"), {}, ""}).status, 200u);
}

TEST_F(ServerTest, AHandlerExceptionBecomesA500) {
  Client client;
  auto res = client.send({"GET", url("/throw"), {}, ""});
  EXPECT_EQ(res.status, 500u);
  EXPECT_EQ(res.body, "InternalError");
}

TEST_F(ServerTest, StreamsResponsesIntoASink) {
  Client client;
  std::string got;
  auto res = client.send({"GET", url("/stream"), {}, ""}, [&](const char* d, size_t n) {
    got.append(d, n);
    return true;
  });
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(got, "GET /stream ");
  EXPECT_TRUE(res.body.empty());
}

TEST_F(ServerTest, ClosesIdleConnections) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::send(fd, "GET /echo HTTP/1.1\r\n", 20, 0);  // a header that never ends
  timeval limit{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  auto start = std::chrono::steady_clock::now();
  char byte;
  ssize_t n = ::recv(fd, &byte, 1, 0);
  auto waited = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_EQ(n, 0);  // closed by the server, not timed out here
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::milliseconds(4000));
}

TEST(Client, ReportsUnreachableHostsAndBadUrls) {
  Client client(std::chrono::milliseconds(500));
  EXPECT_THROW(client.send({"GET", "http://127.0.0.1:1/x", {}, ""}), ClientError);
  EXPECT_THROW(client.send({"GET", "not a url", {}, ""}), ClientError);
  EXPECT_THROW(client.send({"GET", "https://127.0.0.1/x", {}, ""}), ClientError);
}

}  // namespace twin::http
