// The async HTTP/1.1 server every twinorigin service runs on: keep-alive, header and body
// limits, idle timeouts, 100-continue, one log line and one metrics sample per request,
// /health and /metrics, and a graceful stop.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/config.h"
#include "http/body.h"
#include "http/io_pool.h"
#include "http/metrics.h"

namespace twin::http {

using Request = boost::beast::http::request<InBody>;
using Response = boost::beast::http::response<OutBody>;

// One request as a handler sees it.
struct Exchange {
  Request& request;
  std::string remote_address;
  std::string request_id;
  std::shared_ptr<void> context;  // what plan_body set up, kept until the response is sent
  std::string log_cause;          // why the request failed, for the log line
  std::string upstream;           // the origins a proxy tried and what each did: "A=503 B=200"
  bool blocking = false;  // set by plan_body: run handle() on the blocking pool (fsync, copies)
};

class FaultInjection;

class Handler {
 public:
  virtual ~Handler() = default;
  // Called when the header is complete and before the body is read. Returns the largest body
  // accepted; may point request.body().sink_fd at a file (keeping its owner in context).
  virtual uint64_t plan_body(Exchange& exchange) = 0;
  // Builds the response. Runs on an I/O thread and may block on disk for short times.
  virtual Response handle(Exchange& exchange) = 0;
  // A handler that waits on the network (the front's proxy) answers true and implements
  // handle_async, a coroutine on the connection's own I/O thread, instead of handle.
  virtual bool asynchronous() const { return false; }
  virtual boost::asio::awaitable<Response> handle_async(Exchange& exchange);
  // A failure found by the server itself (oversized header or body, exception), in the
  // protocol's own error shape.
  virtual Response error_response(Exchange& exchange, unsigned status, const std::string& code,
                                  const std::string& message) = 0;
};

class Server {
 public:
  // blocking_threads run the handlers that wait on the disk, so that the I/O threads never do.
  Server(IoPool& pool, config::HttpLimits limits, unsigned blocking_threads = 32);
  ~Server();

  // Binds now (port 0 picks a free port) and returns the bound port; starts accepting on start().
  // faults: drill faults this listener shows when told (fault_injection.h); null: none.
  uint16_t listen(const std::string& service, const config::Endpoint& endpoint,
                  std::shared_ptr<Handler> handler,
                  std::shared_ptr<FaultInjection> faults = nullptr);
  void start();
  // Stops accepting, closes idle connections, lets requests in flight finish within the grace
  // period, then calls on_drained (once). Safe to call from any thread, more than once.
  void stop(std::function<void()> on_drained = nullptr);
  bool stopped() const { return stopping_; }
  Metrics& metrics() { return metrics_; }
  // More lines for /metrics, in Prometheus text format (the front's origins and cache).
  void add_metrics(std::function<std::string()> render) { extra_metrics_.push_back(render); }

 private:
  struct Listener;
  struct Connection;
  boost::asio::awaitable<void> accept_loop(std::shared_ptr<Listener> listener);
  boost::asio::awaitable<void> session(std::shared_ptr<Connection> connection,
                                       std::shared_ptr<Listener> listener);
  Response builtin_response(const Request& request) const;
  // A drill fault set on the listener: waits out a delay, or answers for the handler (returns
  // true with res set).
  boost::asio::awaitable<bool> apply_fault(Listener& listener, Exchange& ex, Response& res);
  // Returns an error description, empty on success.
  boost::asio::awaitable<std::string> write_response(Connection& connection, Response& res,
                                                     uint64_t& bytes_out);
  boost::asio::awaitable<std::string> write_streamed(Connection& connection, Response& res,
                                                     uint64_t& bytes_out);
  boost::asio::awaitable<Response> run_async_handler(Listener& listener, Exchange& ex);
  boost::asio::awaitable<void> sweep_idle();

  IoPool& pool_;
  boost::asio::thread_pool blocking_;
  config::HttpLimits limits_;
  Metrics metrics_;
  std::vector<std::function<std::string()>> extra_metrics_;
  std::vector<std::shared_ptr<Listener>> listeners_;
  std::mutex connections_mutex_;
  std::list<std::weak_ptr<Connection>> connections_;
  std::atomic<bool> stopping_{false};
};

}  // namespace twin::http
