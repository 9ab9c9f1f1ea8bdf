#include "http/client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <exception>

namespace twin::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {
constexpr auto kTuple = net::as_tuple(net::use_awaitable);

struct Target {
  std::string host, port, path_and_query, host_header;
};

Target parse_target(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) throw ClientError("not an absolute URL: " + url);
  if (parsed->scheme() != "http") throw ClientError("only http:// URLs are supported: " + url);
  Target t;
  t.host = parsed->host_address();
  if (parsed->host_type() == boost::urls::host_type::ipv6)
    t.host = std::string(parsed->host_ipv6_address().to_string());
  t.port = parsed->has_port() ? std::string(parsed->port()) : "80";
  t.host_header = std::string(parsed->encoded_host_and_port());
  t.path_and_query = std::string(parsed->encoded_path());
  if (t.path_and_query.empty()) t.path_and_query = "/";
  if (parsed->has_query()) t.path_and_query += "?" + std::string(parsed->encoded_query());
  return t;
}

net::awaitable<void> exchange(const ClientRequest& request, std::chrono::milliseconds idle,
                              const Client::Sink* sink, const Client::HeadCallback* on_head,
                              uint64_t max_body, ClientResponse& response) {
  Target target = parse_target(request.url);
  auto executor = co_await net::this_coro::executor;
  tcp::resolver resolver(executor);
  auto [rec, endpoints] = co_await resolver.async_resolve(target.host, target.port, kTuple);
  if (rec) throw ClientError("cannot resolve " + target.host + ": " + rec.message());
  beast::tcp_stream stream(executor);
  stream.expires_after(idle);
  auto [cec, ep] = co_await stream.async_connect(endpoints, kTuple);
  if (cec) throw ClientError("cannot connect to " + target.host_header + ": " + cec.message());

  bhttp::request<bhttp::string_body> req;
  auto verb = bhttp::string_to_verb(request.method);
  if (verb == bhttp::verb::unknown) throw ClientError("unknown method " + request.method);
  req.method(verb);
  req.target(target.path_and_query);
  req.version(11);
  req.set(bhttp::field::host, target.host_header);
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.body() = request.body;
  req.prepare_payload();
  stream.expires_after(idle);
  auto [wec, wn] = co_await bhttp::async_write(stream, req, kTuple);
  if (wec) throw ClientError("sending to " + target.host_header + " failed: " + wec.message());

  beast::flat_buffer buffer;
  buffer.reserve(64 * 1024);  // Beast reads at most the free capacity
  bhttp::response_parser<bhttp::buffer_body> parser;
  parser.body_limit(boost::none);
  if (verb == bhttp::verb::head) parser.skip(true);
  stream.expires_after(idle);
  auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
  if (hec)
    throw ClientError("reading the response of " + target.host_header + ": " + hec.message());
  const auto& head = parser.get();
  response.status = head.result_int();
  for (const auto& field : head) response.headers.emplace_back(field.name_string(), field.value());
  if (on_head && *on_head) (*on_head)(response);
  bool stream_body = sink && response.status >= 200 && response.status < 300;
  char chunk[64 * 1024];
  while (!parser.is_done()) {
    parser.get().body().data = chunk;
    parser.get().body().size = sizeof chunk;
    stream.expires_after(idle);
    auto [ec, n] = co_await bhttp::async_read_some(stream, buffer, parser, kTuple);
    if (ec && ec != bhttp::error::need_buffer)
      throw ClientError("reading the body from " + target.host_header + ": " + ec.message());
    size_t got = sizeof chunk - parser.get().body().size;
    response.body_bytes += got;
    if (stream_body) {
      if (got > 0 && !(*sink)(chunk, got)) throw ClientError("cancelled");
    } else {
      if (response.body.size() + got > max_body) throw ClientError("response body too large");
      response.body.append(chunk, got);
    }
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

ClientResponse run(const ClientRequest& request, std::chrono::milliseconds idle,
                   const Client::Sink* sink, const Client::HeadCallback* on_head,
                   uint64_t max_body) {
  net::io_context ioc;
  ClientResponse response;
  std::exception_ptr failure;
  net::co_spawn(ioc, exchange(request, idle, sink, on_head, max_body, response),
                [&](std::exception_ptr e) { failure = e; });
  ioc.run();
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const ClientError&) {
      throw;
    } catch (const std::exception& e) {
      throw ClientError(e.what());
    }
  }
  return response;
}
}  // namespace

std::string ClientResponse::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (beast::iequals(n, name)) return v;
  return {};
}

ClientResponse Client::send(const ClientRequest& request, uint64_t max_body) const {
  return run(request, idle_timeout_, nullptr, nullptr, max_body);
}

ClientResponse Client::send(const ClientRequest& request, const Sink& sink,
                            const HeadCallback& on_head) const {
  return run(request, idle_timeout_, &sink, &on_head, 64ull << 20);
}

}  // namespace twin::http
