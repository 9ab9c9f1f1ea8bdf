// An asynchronous HTTP/1.1 client for one upstream (host and port), for the front: keep-alive
// connections kept in a pool, a budget on every step (connect, first byte of the response, each
// stretch of silence in the body), and cancellation by closing. A connection stays on the I/O
// context that opened it, as the server's do, so a viewer request and its upstream exchanges run
// on one thread with no locking; only the pool of idle connections is shared.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace twin::http {

struct UpstreamTimeouts {
  std::chrono::milliseconds connect{500};
  std::chrono::milliseconds first_byte{2000};  // from the request sent to the response head
  std::chrono::milliseconds body{1000};        // the longest silence inside a body
};

enum class UpstreamErrorKind {
  refused,             // nothing listens, or unreachable
  connect_timeout,     // no connection within the budget
  reset,               // closed or reset by the peer, or not HTTP
  first_byte_timeout,  // no response head within the budget
  body_timeout,        // the body went silent for longer than the budget
  cancelled,           // closed by us
};
const char* to_string(UpstreamErrorKind kind);

class UpstreamError : public std::runtime_error {
 public:
  UpstreamError(UpstreamErrorKind kind, const std::string& what)
      : std::runtime_error(what), kind_(kind) {}
  UpstreamErrorKind kind() const { return kind_; }

 private:
  UpstreamErrorKind kind_;
};

struct UpstreamRequest {
  std::string method = "GET";
  std::string target = "/";  // path and query
  std::vector<std::pair<std::string, std::string>> headers;
};

class UpstreamPool;
struct UpstreamConnection;

// One request and its response on one connection. Dropping it returns the connection to the
// pool when the response was read to its end and both sides keep the connection alive.
class UpstreamExchange {
 public:
  using Head = boost::beast::http::response_header<>;
  // keep: the connection may go back to the pool afterwards.
  UpstreamExchange(std::shared_ptr<UpstreamPool> pool, std::unique_ptr<UpstreamConnection> c,
                   bool reused, bool keep);
  ~UpstreamExchange();
  UpstreamExchange(const UpstreamExchange&) = delete;
  UpstreamExchange& operator=(const UpstreamExchange&) = delete;

  // Sends the request and reads the response head (a reused connection that turns out closed is
  // replaced once, since nothing was received). Throws UpstreamError.
  boost::asio::awaitable<void> start(const UpstreamRequest& request);
  const Head& head() const;
  unsigned status() const { return head().result_int(); }
  std::optional<uint64_t> content_length() const;
  // The next bytes of the body, valid until the next call; empty at its end. Throws UpstreamError.
  boost::asio::awaitable<std::string_view> next();
  bool done() const;
  // Closes the connection; a step in progress ends with UpstreamErrorKind::cancelled.
  void cancel();

 private:
  boost::asio::awaitable<void> send_and_read_head(const UpstreamRequest& request);

  std::shared_ptr<UpstreamPool> pool_;
  std::unique_ptr<UpstreamConnection> connection_;
  bool reused_, keep_;
  bool cancelled_ = false;
  std::vector<char> chunk_;
};

struct UpstreamStats {
  uint64_t connects = 0, reuses = 0;
  size_t idle = 0;
};

class UpstreamPool : public std::enable_shared_from_this<UpstreamPool> {
 public:
  // url: "http://host:port" (a path is ignored); host_header: sent as Host, the URL's when empty.
  static std::shared_ptr<UpstreamPool> create(const std::string& url, std::string host_header,
                                              UpstreamTimeouts timeouts);

  // An exchange on an idle connection of the calling coroutine's I/O context, or on a new one.
  // fresh: always a new connection, not kept afterwards (health probes test the connect too).
  boost::asio::awaitable<std::unique_ptr<UpstreamExchange>> open(bool fresh = false);

  const std::string& host_header() const { return host_header_; }
  const UpstreamTimeouts& timeouts() const { return timeouts_; }
  UpstreamStats stats() const;

  // Internal: a connection whose exchange ended cleanly.
  void release(std::unique_ptr<UpstreamConnection> connection);
  boost::asio::awaitable<std::unique_ptr<UpstreamConnection>> connect();

  UpstreamPool(std::string host, std::string port, std::string host_header,
               UpstreamTimeouts timeouts);
  ~UpstreamPool();

 private:
  std::unique_ptr<UpstreamConnection> take_idle(const void* context);

  std::string host_, port_, host_header_;
  UpstreamTimeouts timeouts_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<UpstreamConnection>> idle_;
  UpstreamStats stats_;
};

}  // namespace twin::http
