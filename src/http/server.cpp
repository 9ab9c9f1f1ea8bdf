#include "http/server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <sys/socket.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <charconv>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <functional>

#include "common/crash.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"
#include "http/fault_injection.h"

namespace twin::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
constexpr auto kTuple = net::as_tuple(net::use_awaitable);

struct Server::Listener {
  std::string service;
  tcp::acceptor acceptor;
  std::shared_ptr<Handler> handler;
  Metrics::Series* metrics = nullptr;
  std::shared_ptr<FaultInjection> faults;
};

struct Server::Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = true;  // touched only on the connection's own thread
  // When the current network step times out (steady clock, ms; 0 while a handler runs). One
  // sweeper per server checks it every second: arming a timer per read and write was a syscall
  // per step.
  std::atomic<int64_t> deadline_ms{0};
  void arm(std::chrono::seconds idle_timeout) {
    deadline_ms =
        now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(idle_timeout).count();
  }
  void disarm() { deadline_ms = 0; }
  static int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
};

namespace {

// Keeps SAS signatures and other secrets out of the logs.
std::string redact_target(std::string_view target) {
  std::string out(target);
  for (std::string_view key : {"sig=", "client_secret="}) {
    size_t pos = 0;
    while ((pos = out.find(key, pos)) != std::string::npos) {
      if (pos > 0 && out[pos - 1] != '?' && out[pos - 1] != '&') {
        pos += key.size();
        continue;
      }
      size_t start = pos + key.size();
      size_t end = out.find('&', start);
      out.replace(start, end == std::string::npos ? std::string::npos : end - start, "REDACTED");
      pos = start;
    }
  }
  return out;
}

void log_request(const std::string& service, const Exchange& ex, unsigned status, uint64_t bytes_in,
                 uint64_t bytes_out, double seconds) {
  std::string method(ex.request.method_string());
  std::string target = redact_target(ex.request.target());
  std::string status_text = std::to_string(status);
  std::string in = std::to_string(bytes_in), out = std::to_string(bytes_out);
  char ms[32];
  auto [end, ec] =
      std::to_chars(ms, ms + sizeof ms - 1, seconds * 1000.0, std::chars_format::fixed, 3);
  *(ec == std::errc() ? end : ms) = '\0';
  auto level = status >= 500 ? log::Level::error : log::Level::info;
  std::vector<log::Field> fields{{"svc", service},
                                 {"id", ex.request_id},
                                 {"method", method},
                                 {"path", target},
                                 {"status", status_text},
                                 {"in", in},
                                 {"out", out},
                                 {"ms", ms}};
  if (!ex.upstream.empty()) fields.emplace_back("upstream", ex.upstream);
  if (!ex.log_cause.empty()) fields.emplace_back("cause", ex.log_cause);
  log::line(level, "request", fields);
}

}  // namespace

Server::Server(IoPool& pool, config::HttpLimits limits, unsigned blocking_threads)
    : pool_(pool), blocking_(blocking_threads), limits_(limits) {
  // A write to a socket the peer closed must be an error code, never a SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
}

Server::~Server() {
  blocking_.join();
}

uint16_t Server::listen(const std::string& service, const config::Endpoint& endpoint,
                        std::shared_ptr<Handler> handler, std::shared_ptr<FaultInjection> faults) {
  std::string where = service + " on " + endpoint.host + ":" + std::to_string(endpoint.port);
  boost::system::error_code ec;
  auto address = net::ip::make_address(endpoint.host, ec);
  if (ec) throw std::runtime_error("cannot listen for " + where + ": not an IP address");
  tcp::endpoint ep(address, endpoint.port);
  auto listener = std::make_shared<Listener>(
      Listener{service, tcp::acceptor(pool_.first()), handler, nullptr, std::move(faults)});
  // Each step's error names the service and address (a port in use is the usual one).
  auto check = [&] {
    if (ec) throw std::runtime_error("cannot listen for " + where + ": " + ec.message());
  };
  listener->acceptor.open(ep.protocol(), ec);
  check();
  listener->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  check();
  listener->acceptor.bind(ep, ec);
  check();
  listener->acceptor.listen(net::socket_base::max_listen_connections, ec);
  check();
  listener->metrics = &metrics_.series(service);
  listeners_.push_back(listener);
  return listener->acceptor.local_endpoint().port();
}

void Server::start() {
  for (auto& listener : listeners_)
    net::co_spawn(listener->acceptor.get_executor(), accept_loop(listener), net::detached);
  net::co_spawn(pool_.first(), sweep_idle(), net::detached);
}

net::awaitable<void> Server::sweep_idle() {
  net::steady_timer timer(pool_.first());
  while (!stopping_) {
    timer.expires_after(std::chrono::seconds(1));
    co_await timer.async_wait(kTuple);
    int64_t now = Connection::now_ms();
    std::lock_guard lock(connections_mutex_);
    for (auto& weak : connections_) {
      auto c = weak.lock();
      if (!c) continue;
      int64_t deadline = c->deadline_ms;
      if (deadline != 0 && deadline < now)
        net::post(c->stream.get_executor(), [c] {
          boost::system::error_code ignored;
          c->stream.socket().close(ignored);
        });
    }
  }
}

void Server::stop(std::function<void()> on_drained) {
  if (stopping_.exchange(true)) return;
  for (auto& listener : listeners_)
    net::post(listener->acceptor.get_executor(), [listener] {
      boost::system::error_code ignored;
      listener->acceptor.close(ignored);
    });
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(connections_mutex_);
    for (auto& weak : connections_)
      if (auto c = weak.lock()) live.push_back(c);
  }
  for (auto& c : live)
    net::post(c->stream.get_executor(), [c] {
      if (c->idle) c->stream.cancel();
    });
  // Poll until every connection is gone; cut off whatever still runs after the grace period.
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(limits_.shutdown_grace_seconds);
  auto timer = std::make_shared<net::steady_timer>(pool_.first());
  auto poll = std::make_shared<std::function<void(boost::system::error_code)>>();
  *poll = [this, timer, poll, deadline, on_drained](boost::system::error_code) {
    std::unique_lock lock(connections_mutex_);
    connections_.remove_if([](const auto& w) { return w.expired(); });
    if (connections_.empty()) {
      lock.unlock();
      auto done = on_drained;
      *poll = nullptr;  // breaks the self-reference
      if (done) done();
      return;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      for (auto& weak : connections_)
        if (auto c = weak.lock()) net::post(c->stream.get_executor(), [c] { c->stream.close(); });
    }
    timer->expires_after(std::chrono::milliseconds(50));
    timer->async_wait([poll](boost::system::error_code ec) {
      if (*poll) (*poll)(ec);
    });
  };
  (*poll)({});
}

net::awaitable<void> Server::accept_loop(std::shared_ptr<Listener> listener) {
  while (!stopping_) {
    auto [ec, socket] = co_await listener->acceptor.async_accept(pool_.next(), kTuple);
    if (ec) {
      if (stopping_ || ec == net::error::operation_aborted) break;
      log::warn("accept_failed", {{"svc", listener->service}, {"error", ec.message()}});
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto connection = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock(connections_mutex_);
      connections_.remove_if([](const auto& w) { return w.expired(); });
      connections_.push_back(connection);
    }
    net::co_spawn(connection->stream.get_executor(), session(connection, listener),
                  [service = listener->service](std::exception_ptr e) {
                    if (!e) return;
                    try {
                      std::rethrow_exception(e);
                    } catch (const std::exception& ex) {
                      log::error("connection_failed", {{"svc", service}, {"cause", ex.what()}});
                    }
                  });
  }
}

Response Server::builtin_response(const Request& request) const {
  Response res{bhttp::status::ok, request.version()};
  if (request.target() == "/metrics") {
    res.set(bhttp::field::content_type, "text/plain; version=0.0.4");
    res.body().text = metrics_.render();
    for (const auto& render : extra_metrics_) res.body().text += render();
  } else {
    res.set(bhttp::field::content_type, "application/json");
    res.body().text = stopping_ ? "{\"status\":\"stopping\"}\n" : "{\"status\":\"ok\"}\n";
    if (stopping_) res.result(bhttp::status::service_unavailable);
  }
  return res;
}

namespace {

// The status line and fields in one string: one buffer instead of Beast's serializer, whose
// buffer sequence iteration was the largest user-space cost of small responses (measured).
std::string serialize_header(const Response& res) {
  std::string head;
  head.reserve(512);
  head += "HTTP/1.1 ";
  head += std::to_string(res.result_int());
  head += ' ';
  head += res.reason();
  head += "\r\n";
  for (const auto& field : res) {
    head += field.name_string();
    head += ": ";
    head += field.value();
    head += "\r\n";
  }
  if (res.body().fields) head += *res.body().fields;
  head += "\r\n";
  return head;
}

}  // namespace

// Writes the response. Bodies of text and files up to 1 MiB (manifests, media segments, small
// blobs) leave as one header+text send and then sendfile(2) of the files; sendfile saves a copy
// through user space (origin video segments +40 %, measured). Larger file bodies are read in chunks
// by OutBody's writer through Beast's serializer, because sendfile was measured slower for them on
// loopback here (2.8 against 4.0 GB/s).
net::awaitable<std::string> Server::write_response(Connection& connection, Response& res,
                                                   uint64_t& bytes_out) {
  constexpr uint64_t kSendfileLimit = 1 << 20;
  if (res.body().source) co_return co_await write_streamed(connection, res, bytes_out);
  const auto idle = std::chrono::seconds(limits_.idle_timeout_seconds);
  auto& stream = connection.stream;
  uint64_t span_bytes = 0;
  for (const auto& s : res.body().spans) span_bytes += s.length;
  if (span_bytes > kSendfileLimit) {
    if (auto fields = std::move(res.body().fields)) {  // Beast writes only its own fields
      for (auto line : str::split(*fields, '\n')) {
        auto colon = line.find(':');
        if (colon != std::string_view::npos)
          res.set(str::trim(line.substr(0, colon)), str::trim(line.substr(colon + 1)));
      }
    }
    bhttp::response_serializer<OutBody> serializer{res};
    while (!serializer.is_done()) {
      connection.arm(idle);
      auto [ec, n] = co_await bhttp::async_write_some(stream, serializer, kTuple);
      if (ec) co_return ec.message();
      bytes_out += n;
    }
    connection.disarm();
    co_return std::string();
  }
  int socket = stream.socket().native_handle();
  const auto& spans = res.body().spans;
  std::string head = serialize_header(res);
  const std::string& text = res.body().text;
  // With files to follow, MSG_MORE holds the header back so that it leaves with the file's
  // first bytes (nginx corks for the same reason): one train of segments, one wake-up.
  auto flags = spans.empty() ? net::socket_base::message_flags(0)
                             : net::socket_base::message_flags(MSG_MORE);
  std::array<net::const_buffer, 2> buffers{net::buffer(head), net::buffer(text)};
  beast::buffers_suffix<std::array<net::const_buffer, 2>> pending(buffers);
  while (beast::buffer_bytes(pending) > 0) {
    connection.arm(idle);
    auto [ec, n] = co_await stream.socket().async_send(pending, flags, kTuple);
    if (ec) co_return ec.message();
    pending.consume(n);
    bytes_out += n;
  }
  for (const auto& span : spans) {
    off_t offset = static_cast<off_t>(span.offset);
    uint64_t left = span.length;
    while (left > 0) {
      connection.arm(idle);
      ssize_t sent = ::sendfile(socket, span.file->fd(), &offset, left);
      if (sent > 0) {
        left -= static_cast<uint64_t>(sent);
        bytes_out += static_cast<uint64_t>(sent);
      } else if (sent < 0 && errno == EINTR) {
        continue;
      } else if (sent < 0 && errno == EAGAIN) {
        auto [wait_ec] = co_await stream.socket().async_wait(tcp::socket::wait_write, kTuple);
        if (wait_ec) co_return wait_ec.message();
      } else {
        co_return sent == 0 ? std::string("the file is shorter than its metadata says")
                            : std::string(std::strerror(errno));
      }
    }
  }
  connection.disarm();
  co_return std::string();
}

// A body from a source: the header, then each chunk as the source yields it. The source keeps
// its own timeouts; the idle timeout covers only the writes to the client.
net::awaitable<std::string> Server::write_streamed(Connection& connection, Response& res,
                                                   uint64_t& bytes_out) {
  const auto idle = std::chrono::seconds(limits_.idle_timeout_seconds);
  auto& socket = connection.stream.socket();
  auto send = [&](std::string_view bytes) -> net::awaitable<std::string> {
    connection.arm(idle);
    auto [ec, n] = co_await net::async_write(socket, net::buffer(bytes), kTuple);
    connection.disarm();
    bytes_out += n;
    co_return ec ? ec.message() : std::string();
  };
  std::string head = serialize_header(res);
  if (auto error = co_await send(head); !error.empty()) co_return error;
  auto& body = res.body();
  uint64_t sent = 0;
  while (true) {
    std::string_view chunk;
    std::string failure;
    try {
      chunk = co_await body.source->next();
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (!failure.empty()) co_return "body source failed: " + failure;
    if (chunk.empty()) break;
    if (sent + chunk.size() > body.source_length)
      co_return std::string("body source gave more bytes than the response's length");
    if (auto error = co_await send(chunk); !error.empty()) co_return error;
    sent += chunk.size();
  }
  if (sent != body.source_length)
    co_return "body source ended after " + std::to_string(sent) + " of " +
        std::to_string(body.source_length) + " bytes";
  co_return std::string();
}

net::awaitable<Response> Server::run_async_handler(Listener& listener, Exchange& ex) {
  std::string failure;
  try {
    co_return co_await listener.handler->handle_async(ex);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  ex.log_cause = "unhandled exception: " + failure;
  co_return listener.handler->error_response(ex, 500, "InternalError",
                                             "The server encountered an internal error.");
}

net::awaitable<bool> Server::apply_fault(Listener& listener, Exchange& ex, Response& res) {
  if (FaultInjection::is_control(ex.request.target())) {
    res = listener.faults->control(ex);
    co_return true;
  }
  Fault fault = listener.faults->current();
  if (fault.mode == FaultMode::unavailable) {
    ex.log_cause = "drill fault: 503 injected";
    res = listener.handler->error_response(ex, 503, "ServiceUnavailable",
                                           "The server is unavailable (a drill fault).");
    co_return true;
  }
  if (fault.mode == FaultMode::slow) {
    net::steady_timer timer(co_await net::this_coro::executor, fault.delay);
    co_await timer.async_wait(kTuple);
  }
  co_return false;
}

net::awaitable<Response> Handler::handle_async(Exchange& exchange) {
  co_return handle(exchange);
}

net::awaitable<void> Server::session(std::shared_ptr<Connection> connection,
                                     std::shared_ptr<Listener> listener) {
  auto& stream = connection->stream;
  beast::flat_buffer buffer;
  // Beast reads at most the free capacity (at least 512 bytes): reserve enough for large bodies.
  buffer.reserve(64 * 1024);
  std::string remote;
  {
    boost::system::error_code ec;
    auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string();
  }
  const auto idle = std::chrono::seconds(limits_.idle_timeout_seconds);
  bool keep_going = true;
  while (keep_going && !stopping_) {
    bhttp::request_parser<InBody> parser;
    parser.header_limit(limits_.max_header_bytes);
    // The body limit depends on the operation, known only once the header is read.
    parser.body_limit(boost::none);
    connection->idle = true;
    connection->arm(idle);
    auto [read_ec, header_bytes] =
        co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    connection->idle = false;
    connection->disarm();
    Exchange ex{parser.get(), remote, ids::new_guid(), nullptr, {}, {}};
    auto started = std::chrono::steady_clock::now();
    Response res;
    bool body_ok = true;
    if (read_ec) {
      bool malformed =
          read_ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
          read_ec != bhttp::error::end_of_stream && read_ec != bhttp::error::partial_message;
      if (!malformed) break;  // closed or timed out
      body_ok = false;
      if (read_ec == bhttp::error::header_limit) {
        ex.log_cause = "request header larger than " + std::to_string(limits_.max_header_bytes);
        res = listener->handler->error_response(ex, 431, "RequestHeaderFieldsTooLarge",
                                                "The request header is too large.");
      } else {
        ex.log_cause = "malformed HTTP request: " + read_ec.message();
        res = listener->handler->error_response(ex, 400, "InvalidInput",
                                                "One of the request inputs is not valid.");
      }
    } else if (listener->faults && co_await apply_fault(*listener, ex, res)) {
      // The body of a faulted request (or of a control one, which takes none) is never read:
      // the connection cannot be reused after it.
      body_ok = parser.is_done();
    } else if (ex.request.method() == bhttp::verb::get &&
               (ex.request.target() == "/health" || ex.request.target() == "/metrics")) {
      res = builtin_response(ex.request);
    } else {
      try {
        uint64_t limit = listener->handler->plan_body(ex);
        parser.body_limit(limit);
        auto declared = parser.content_length();
        if (declared && *declared > limit) {
          body_ok = false;
          ex.log_cause = "declared body of " + std::to_string(*declared) +
                         " bytes over the limit of " + std::to_string(limit);
          res = listener->handler->error_response(ex, 413, "RequestBodyTooLarge",
                                                  "The request body is too large.");
        }
      } catch (const std::exception& e) {
        ex.log_cause = e.what();
        body_ok = false;
        res =
            listener->handler->error_response(ex, 500, "InternalError", "Cannot accept the body.");
      }
      if (body_ok && beast::iequals(ex.request[bhttp::field::expect], "100-continue")) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
        auto [ec, n] = co_await bhttp::async_write(stream, cont, kTuple);
        if (ec) break;
      }
      while (body_ok && !parser.is_done()) {
        connection->arm(idle);
        auto [ec, n] = co_await bhttp::async_read_some(stream, buffer, parser, kTuple);
        connection->disarm();
        if (!ec) continue;
        body_ok = false;
        if (ec != bhttp::error::body_limit) {
          log::warn("request_body_aborted",
                    {{"svc", listener->service}, {"id", ex.request_id}, {"error", ec.message()}});
          co_return;  // the client went away mid-body, or the body could not be stored
        }
        ex.log_cause = "request body over the limit for this operation";
        res = listener->handler->error_response(ex, 413, "RequestBodyTooLarge",
                                                "The request body is too large.");
      }
      if (body_ok && listener->handler->asynchronous()) {
        res = co_await run_async_handler(*listener, ex);
      } else if (body_ok) {
        auto run = [&] {
          // Named in the log line should the process die of a signal while handling it.
          crash::CurrentRequest current(
              ex.request_id,
              std::string(ex.request.method_string()) + " " + redact_target(ex.request.target()));
          try {
            res = listener->handler->handle(ex);
          } catch (const std::exception& e) {
            ex.log_cause = std::string("unhandled exception: ") + e.what();
            res = listener->handler->error_response(ex, 500, "InternalError",
                                                    "The server encountered an internal error.");
          }
        };
        if (ex.blocking) {
          co_await net::co_spawn(
              blocking_,
              [&]() -> net::awaitable<void> {
                run();
                co_return;
              },
              net::use_awaitable);
        } else {
          run();
        }
      }
    }
    keep_going = body_ok && ex.request.keep_alive() && !stopping_;
    res.keep_alive(keep_going);
    if (res.find(bhttp::field::content_length) == res.end()) res.content_length(res.body().size());
    if (ex.request.method() == bhttp::verb::head) {  // the length and the fields, no bytes
      res.body().text.clear();
      res.body().spans.clear();
      res.body().source.reset();
      res.body().source_length = 0;
    }
    uint64_t bytes_out = 0;
    std::string write_error = co_await write_response(*connection, res, bytes_out);
    if (!write_error.empty()) {
      keep_going = false;
      if (ex.log_cause.empty()) ex.log_cause = "response write failed: " + write_error;
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    unsigned status = res.result_int();
    Metrics::record(*listener->metrics, status, ex.request.body().size, bytes_out, seconds);
    log_request(listener->service, ex, status, ex.request.body().size, bytes_out, seconds);
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.close();
}

}  // namespace twin::http
