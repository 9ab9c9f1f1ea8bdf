#include "http/upstream.h"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <cerrno>

namespace twin::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {
constexpr auto kTuple = net::as_tuple(net::use_awaitable);
constexpr size_t kChunkBytes = 64 * 1024;
// An idle connection older than this is closed rather than reused: the origin's own idle
// timeout is far longer, so a reused one is rarely found closed (and then replaced once).
constexpr auto kMaxIdle = std::chrono::seconds(4);
constexpr size_t kMaxIdleConnections = 256;

UpstreamErrorKind kind_of(const boost::system::error_code& ec, UpstreamErrorKind on_timeout) {
  if (ec == beast::error::timeout) return on_timeout;
  if (ec == net::error::operation_aborted) return UpstreamErrorKind::cancelled;
  if (ec == net::error::connection_refused || ec == net::error::host_unreachable ||
      ec == net::error::network_unreachable)
    return UpstreamErrorKind::refused;
  return UpstreamErrorKind::reset;
}
}  // namespace

const char* to_string(UpstreamErrorKind kind) {
  switch (kind) {
    case UpstreamErrorKind::refused:
      return "connection refused";
    case UpstreamErrorKind::connect_timeout:
      return "connect timeout";
    case UpstreamErrorKind::reset:
      return "connection reset";
    case UpstreamErrorKind::first_byte_timeout:
      return "first byte timeout";
    case UpstreamErrorKind::body_timeout:
      return "body timeout";
    case UpstreamErrorKind::cancelled:
      return "cancelled";
  }
  return "?";
}

struct UpstreamConnection {
  explicit UpstreamConnection(net::any_io_executor executor) : stream(std::move(executor)) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::optional<bhttp::response_parser<bhttp::buffer_body>> parser;
  Clock::time_point idle_since;
  bool head_request = false;
  const void* context() { return &net::query(stream.get_executor(), net::execution::context); }
  // An idle connection the peer closed (or that holds unexpected bytes) is not reusable.
  bool still_usable() {
    char byte;
    ssize_t n = ::recv(stream.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
};

UpstreamPool::UpstreamPool(std::string host, std::string port, std::string host_header,
                           UpstreamTimeouts timeouts)
    : host_(std::move(host)),
      port_(std::move(port)),
      host_header_(std::move(host_header)),
      timeouts_(timeouts) {}

UpstreamPool::~UpstreamPool() = default;

std::shared_ptr<UpstreamPool> UpstreamPool::create(const std::string& url, std::string host_header,
                                                   UpstreamTimeouts timeouts) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "http" || parsed->host().empty())
    throw std::invalid_argument("not an http:// URL: " + url);
  std::string host = parsed->host_address();
  if (parsed->host_type() == boost::urls::host_type::ipv6)
    host = parsed->host_ipv6_address().to_string();
  std::string port = parsed->has_port() ? std::string(parsed->port()) : "80";
  if (host_header.empty()) host_header = std::string(parsed->encoded_host_and_port());
  return std::make_shared<UpstreamPool>(host, port, host_header, timeouts);
}

UpstreamStats UpstreamPool::stats() const {
  std::lock_guard lock(mutex_);
  UpstreamStats s = stats_;
  s.idle = idle_.size();
  return s;
}

std::unique_ptr<UpstreamConnection> UpstreamPool::take_idle(const void* context) {
  std::lock_guard lock(mutex_);
  auto now = Clock::now();
  for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {  // the most recent first
    if ((*it)->context() != context) continue;
    auto connection = std::move(*it);
    idle_.erase(std::next(it).base());
    if (now - connection->idle_since > kMaxIdle || !connection->still_usable()) return nullptr;
    ++stats_.reuses;
    return connection;
  }
  return nullptr;
}

void UpstreamPool::release(std::unique_ptr<UpstreamConnection> connection) {
  connection->idle_since = Clock::now();
  connection->parser.reset();
  std::lock_guard lock(mutex_);
  // Closing idle connections touches their sockets, which belong to their own threads: they
  // are dropped only here, on the releasing thread, when they are its own.
  auto now = connection->idle_since;
  const void* context = connection->context();
  std::erase_if(idle_, [&](const auto& c) {
    return c->context() == context && now - c->idle_since > kMaxIdle;
  });
  if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(connection));
}

net::awaitable<std::unique_ptr<UpstreamConnection>> UpstreamPool::connect() {
  auto executor = co_await net::this_coro::executor;
  auto connection = std::make_unique<UpstreamConnection>(executor);
  tcp::resolver resolver(executor);
  auto [rec, endpoints] = co_await resolver.async_resolve(host_, port_, kTuple);
  if (rec)
    throw UpstreamError(UpstreamErrorKind::refused,
                        "cannot resolve " + host_ + ": " + rec.message());
  connection->stream.expires_after(timeouts_.connect);
  auto [ec, endpoint] = co_await connection->stream.async_connect(endpoints, kTuple);
  if (ec)
    throw UpstreamError(kind_of(ec, UpstreamErrorKind::connect_timeout),
                        "connect to " + host_header_ + ": " + ec.message());
  boost::system::error_code ignored;
  connection->stream.socket().set_option(tcp::no_delay(true), ignored);
  connection->buffer.reserve(kChunkBytes);
  {
    std::lock_guard lock(mutex_);
    ++stats_.connects;
  }
  co_return connection;
}

net::awaitable<std::unique_ptr<UpstreamExchange>> UpstreamPool::open(bool fresh) {
  auto executor = co_await net::this_coro::executor;
  const void* context = &net::query(executor, net::execution::context);
  std::unique_ptr<UpstreamConnection> connection = fresh ? nullptr : take_idle(context);
  bool reused = connection != nullptr;
  if (!connection) connection = co_await connect();
  co_return std::make_unique<UpstreamExchange>(shared_from_this(), std::move(connection), reused,
                                               !fresh);
}

UpstreamExchange::UpstreamExchange(std::shared_ptr<UpstreamPool> pool,
                                   std::unique_ptr<UpstreamConnection> c, bool reused, bool keep)
    : pool_(std::move(pool)), connection_(std::move(c)), reused_(reused), keep_(keep) {}

UpstreamExchange::~UpstreamExchange() {
  if (!connection_) return;
  auto& parser = connection_->parser;
  bool clean = !cancelled_ && keep_ && parser && parser->is_done() && parser->get().keep_alive();
  if (clean) {
    pool_->release(std::move(connection_));
    return;
  }
  boost::system::error_code ignored;
  connection_->stream.socket().close(ignored);
}

const UpstreamExchange::Head& UpstreamExchange::head() const {
  return connection_->parser->get().base();
}

std::optional<uint64_t> UpstreamExchange::content_length() const {
  if (connection_->head_request) return std::nullopt;
  auto length = connection_->parser->content_length();
  if (!length) return std::nullopt;
  return *length;
}

bool UpstreamExchange::done() const {
  return connection_->parser && connection_->parser->is_done();
}

void UpstreamExchange::cancel() {
  cancelled_ = true;
  boost::system::error_code ignored;
  connection_->stream.socket().close(ignored);
}

net::awaitable<void> UpstreamExchange::start(const UpstreamRequest& request) {
  try {
    co_await send_and_read_head(request);
    co_return;
  } catch (const UpstreamError& e) {
    // A kept-alive connection the origin closed in the meantime: nothing was received, so the
    // request is sent once more on a new one.
    if (!reused_ || cancelled_ || e.kind() != UpstreamErrorKind::reset) throw;
  }
  reused_ = false;
  connection_ = co_await pool_->connect();
  co_await send_and_read_head(request);
}

net::awaitable<void> UpstreamExchange::send_and_read_head(const UpstreamRequest& request) {
  auto& c = *connection_;
  bhttp::request<bhttp::empty_body> req;
  req.method_string(request.method);
  req.target(request.target);
  req.version(11);
  req.set(bhttp::field::host, pool_->host_header());
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.keep_alive(true);
  c.head_request = req.method() == bhttp::verb::head;
  auto failed = [&](const boost::system::error_code& ec, const char* step) {
    return UpstreamError(cancelled_ ? UpstreamErrorKind::cancelled
                                    : kind_of(ec, UpstreamErrorKind::first_byte_timeout),
                         std::string(step) + " " + pool_->host_header() + ": " + ec.message());
  };
  c.stream.expires_after(pool_->timeouts().first_byte);
  auto [wec, wn] = co_await bhttp::async_write(c.stream, req, kTuple);
  if (wec) throw failed(wec, "sending to");
  c.parser.emplace();
  c.parser->body_limit(boost::none);
  if (c.head_request) c.parser->skip(true);
  auto [hec, hn] = co_await bhttp::async_read_header(c.stream, c.buffer, *c.parser, kTuple);
  if (hec) throw failed(hec, "reading the response head of");
}

net::awaitable<std::string_view> UpstreamExchange::next() {
  auto& c = *connection_;
  if (chunk_.empty()) chunk_.resize(kChunkBytes);
  while (!c.parser->is_done()) {
    auto& body = c.parser->get().body();
    body.data = chunk_.data();
    body.size = chunk_.size();
    c.stream.expires_after(pool_->timeouts().body);
    auto [ec, n] = co_await bhttp::async_read_some(c.stream, c.buffer, *c.parser, kTuple);
    if (ec && ec != bhttp::error::need_buffer)
      throw UpstreamError(
          cancelled_ ? UpstreamErrorKind::cancelled : kind_of(ec, UpstreamErrorKind::body_timeout),
          "reading the body from " + pool_->host_header() + ": " + ec.message());
    size_t got = chunk_.size() - c.parser->get().body().size;
    if (got > 0) co_return std::string_view(chunk_.data(), got);
  }
  c.stream.expires_never();
  co_return std::string_view();
}

}  // namespace twin::http
