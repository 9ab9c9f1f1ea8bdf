// The pooled upstream client against the server (an asynchronous handler streaming its body from
// a source) and against raw sockets that misbehave: refuse, stay silent, stop mid-body.
#include "http/upstream.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "http/server.h"

namespace twin::http {
namespace {
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

// Yields "part-0 part-1 … " in pieces, waiting a little between them; fails after `fail_after`.
class CountingSource : public BodySource {
 public:
  CountingSource(int parts, int fail_after) : parts_(parts), fail_after_(fail_after) {}
  net::awaitable<std::string_view> next() override {
    if (index_ == fail_after_) throw std::runtime_error("upstream went away");
    if (index_ == parts_) co_return std::string_view();
    net::steady_timer timer(co_await net::this_coro::executor, 1ms);
    co_await timer.async_wait(net::use_awaitable);
    current_ = part(index_++);
    co_return current_;
  }
  static std::string part(int i) { return "part-" + std::to_string(i) + " "; }
  static std::string whole(int parts) {
    std::string all;
    for (int i = 0; i < parts; ++i) all += part(i);
    return all;
  }

 private:
  int parts_, fail_after_, index_ = 0;
  std::string current_;
};

class StreamingHandler : public Handler {
 public:
  uint64_t plan_body(Exchange&) override { return 0; }
  Response handle(Exchange&) override { throw std::logic_error("asynchronous only"); }
  bool asynchronous() const override { return true; }
  net::awaitable<Response> handle_async(Exchange& ex) override {
    Response res{boost::beast::http::status::ok, 11};
    bool fail = ex.request.target() == "/cut";
    res.body().source = std::make_shared<CountingSource>(20, fail ? 5 : -1);
    res.body().source_length = CountingSource::whole(20).size();
    res.set(boost::beast::http::field::etag, "\"v1\"");
    co_return res;
  }
  Response error_response(Exchange&, unsigned status, const std::string& code,
                          const std::string&) override {
    Response res{static_cast<boost::beast::http::status>(status), 11};
    res.body().text = code;
    return res;
  }
};

struct Fetched {
  unsigned status = 0;
  std::string body;
  std::optional<UpstreamErrorKind> error;
};

// Runs one exchange on its own I/O context, as the front runs them on its pool's threads.
Fetched fetch(std::shared_ptr<UpstreamPool> pool, net::io_context& ioc, std::string target) {
  Fetched out;
  auto done = net::co_spawn(
      ioc,
      [&]() -> net::awaitable<void> {
        try {
          auto exchange = co_await pool->open();
          // Named: GCC 12 destroys a braced temporary in a co_await expression twice.
          UpstreamRequest request{"GET", target, {}};
          co_await exchange->start(request);
          out.status = exchange->status();
          while (true) {
            auto chunk = co_await exchange->next();
            if (chunk.empty()) break;
            out.body += chunk;
          }
        } catch (const UpstreamError& e) {
          out.error = e.kind();
        }
      },
      net::use_future);
  ioc.restart();
  ioc.run();
  done.get();
  return out;
}

class UpstreamTest : public testing::Test {
 protected:
  void SetUp() override {
    config::HttpLimits limits;
    limits.shutdown_grace_seconds = 1;
    server_ = std::make_unique<Server>(io_, limits);
    port_ = server_->listen("test", {"127.0.0.1", 0}, std::make_shared<StreamingHandler>());
    server_->start();
    io_.start();
  }
  void TearDown() override {
    server_->stop([this] { io_.stop(); });
    io_.join();
  }
  std::shared_ptr<UpstreamPool> pool_for(uint16_t port, UpstreamTimeouts timeouts = {}) {
    return UpstreamPool::create("http://127.0.0.1:" + std::to_string(port), "", timeouts);
  }
  IoPool io_{1};
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  net::io_context client_;
};

// A socket that accepts and then does what `behave` says with the connection.
class RawServer {
 public:
  explicit RawServer(std::function<void(tcp::socket&)> behave)
      : acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this, behave] {
      boost::system::error_code ec;
      tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (!ec) behave(socket);
      std::unique_lock lock(mutex_);
      released_.wait(lock, [this] { return release_; });
    });
  }
  ~RawServer() {
    {
      std::lock_guard lock(mutex_);
      release_ = true;
    }
    released_.notify_all();
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable released_;
  bool release_ = false;
};

void read_request_head(tcp::socket& socket) {
  std::string got;
  char c;
  while (got.find("\r\n\r\n") == std::string::npos && socket.read_some(net::buffer(&c, 1)))
    got += c;
}

}  // namespace

TEST_F(UpstreamTest, StreamsAnAsynchronousHandlersBodyAndReusesTheConnection) {
  auto pool = pool_for(port_);
  auto first = fetch(pool, client_, "/whole");
  ASSERT_FALSE(first.error);
  EXPECT_EQ(first.status, 200u);
  EXPECT_EQ(first.body, CountingSource::whole(20));
  auto second = fetch(pool, client_, "/whole");
  EXPECT_EQ(second.body, CountingSource::whole(20));
  EXPECT_EQ(pool->stats().connects, 1u);
  EXPECT_EQ(pool->stats().reuses, 1u);
}

TEST_F(UpstreamTest, ASourceThatFailsCutsTheResponseShort) {
  auto fetched = fetch(pool_for(port_), client_, "/cut");
  EXPECT_EQ(fetched.status, 200u);
  ASSERT_TRUE(fetched.error);
  EXPECT_EQ(*fetched.error, UpstreamErrorKind::reset);
  EXPECT_EQ(fetched.body, CountingSource::whole(5));
}

TEST_F(UpstreamTest, ReportsARefusedConnection) {
  uint16_t closed_port;
  {
    net::io_context ioc;
    tcp::acceptor probe(ioc, {net::ip::make_address("127.0.0.1"), 0});
    closed_port = probe.local_endpoint().port();
  }
  auto fetched = fetch(pool_for(closed_port), client_, "/");
  ASSERT_TRUE(fetched.error);
  EXPECT_EQ(*fetched.error, UpstreamErrorKind::refused);
}

TEST_F(UpstreamTest, GivesUpOnASilentOriginAfterTheFirstByteBudget) {
  RawServer silent([](tcp::socket& socket) { read_request_head(socket); });
  auto started = std::chrono::steady_clock::now();
  auto fetched = fetch(pool_for(silent.port(), {500ms, 200ms, 1000ms}), client_, "/");
  auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(fetched.error);
  EXPECT_EQ(*fetched.error, UpstreamErrorKind::first_byte_timeout);
  EXPECT_LT(waited, 2s);
}

TEST_F(UpstreamTest, GivesUpOnABodyThatGoesSilent) {
  RawServer stalls([](tcp::socket& socket) {
    read_request_head(socket);
    net::write(socket,
               net::buffer(std::string("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")));
  });
  auto fetched = fetch(pool_for(stalls.port(), {500ms, 500ms, 200ms}), client_, "/");
  EXPECT_EQ(fetched.status, 200u);
  EXPECT_EQ(fetched.body, "abc");
  ASSERT_TRUE(fetched.error);
  EXPECT_EQ(*fetched.error, UpstreamErrorKind::body_timeout);
}

TEST_F(UpstreamTest, DoesNotReuseAKeptConnectionTheOriginClosed) {
  RawServer once([](tcp::socket& socket) {
    read_request_head(socket);
    net::write(socket, net::buffer(std::string("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")));
    socket.close();
  });
  auto pool = pool_for(once.port(), {300ms, 300ms, 300ms});
  auto fetched = fetch(pool, client_, "/");
  EXPECT_EQ(fetched.body, "ok");
  EXPECT_EQ(pool->stats().idle, 1u);  // kept: the close is seen only when it is taken again
  auto again = fetch(pool, client_, "/");
  ASSERT_TRUE(again.error);  // a new connection, which this server never answers
  EXPECT_EQ(pool->stats().reuses, 0u);
  EXPECT_EQ(pool->stats().connects, 2u);
}

}  // namespace twin::http
