#include "front/proxy.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>

#include "common/log.h"
#include "front/cmcd.h"
#include "front/origin_fetch.h"
#include "front/status_report.h"

// GCC 12 reports an Asio coroutine frame's sized operator delete as mismatched with its unsized
// operator new after inlining (a false positive, GCC PR middle-end/109224; seen by other Asio
// users at -O2 too). The pair is Asio's own and well-formed.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace twin::front {
namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using http::Response;

namespace {

// RFC 9110 7.6.1: not forwarded by a proxy. Content-Length is the front's own to set.
bool hop_by_hop(std::string_view name) {
  static constexpr std::array<std::string_view, 11> kNames = {
      "connection", "keep-alive",          "proxy-connection", "te",
      "trailer",    "transfer-encoding",   "upgrade",          "proxy-authenticate",
      "host",       "proxy-authorization", "content-length"};
  for (auto n : kNames)
    if (boost::beast::iequals(name, n)) return true;
  return false;
}

// The viewer's end-to-end headers, for the origin; without Range and conditions when the front
// fetches the whole object for its cache. CMCD, query or headers, is the front's to read: the
// origin's request is the same whatever the player reported.
http::UpstreamRequest upstream_request(const http::Request& request, bool whole_object) {
  http::UpstreamRequest out{
      std::string(request.method_string()), without_cmcd(request.target()), {}};
  for (const auto& field : request) {
    auto name = field.name_string();
    if (hop_by_hop(name) || boost::beast::iequals(name, "expect")) continue;
    if (name.size() > 5 && boost::beast::iequals(name.substr(0, 5), "cmcd-")) continue;
    if (whole_object && range_or_condition(field.name_string())) continue;
    out.headers.emplace_back(field.name_string(), field.value());
  }
  return out;
}

bool has_range_or_conditions(const http::Request& request) {
  for (const auto& field : request)
    if (range_or_condition(field.name_string())) return true;
  return false;
}

// A part of a cached object, sent without a copy; the object stays alive while it is sent.
class CachedSlice : public http::BodySource {
 public:
  CachedSlice(Cache::Object object, uint64_t first, uint64_t length)
      : object_(std::move(object)), first_(first), length_(length) {}
  net::awaitable<std::string_view> next() override {
    if (sent_) co_return std::string_view();
    sent_ = true;
    co_return std::string_view(object_->body).substr(first_, length_);
  }

 private:
  Cache::Object object_;
  uint64_t first_, length_;
  bool sent_ = false;
};

class FetchSource : public http::BodySource {
 public:
  explicit FetchSource(std::shared_ptr<OriginFetch> fetch) : fetch_(std::move(fetch)) {}
  net::awaitable<std::string_view> next() override { co_return co_await fetch_->next(); }

 private:
  std::shared_ptr<OriginFetch> fetch_;
};

// Followers wait for the leader's fill() or fail(): whatever happens to it, one is called.
struct LeaderDuty {
  LeaderDuty(Cache& c, const std::string& k) : cache(c), key(k) {}
  ~LeaderDuty() {
    if (!done) cache.fail(key);
  }
  Cache& cache;
  const std::string& key;
  bool done = false;
};

// The body into `body`; what went wrong, or empty.
net::awaitable<std::string> read_whole(OriginFetch& fetch, std::string& body) {
  try {
    while (true) {
      auto chunk = co_await fetch.next();
      if (chunk.empty()) co_return std::string();
      body.append(chunk);
    }
  } catch (const std::exception& e) {
    co_return e.what();
  }
}

Response text_response(unsigned status, std::string text) {
  Response res{static_cast<bhttp::status>(status), 11};
  res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  res.set(bhttp::field::cache_control, "no-store");
  // Players in web pages fetch it from their page's origin, as they fetch the media.
  res.set(bhttp::field::access_control_allow_origin, "*");
  res.body().text = std::move(text);
  return res;
}

// Every origin failed and nothing is cached: the last 5xx an origin gave, or 502.
Response no_origin_response(const OriginFetch& fetch) {
  unsigned status = fetch.failed_status() ? fetch.failed_status() : 502;
  std::string text = fetch.trail().empty() ? "No origin is enabled.\n"
                                           : "No origin could answer: " + fetch.trail() + "\n";
  auto res = text_response(status, text);
  res.set("X-Cache", "MISS");
  return res;
}

}  // namespace

bool is_admin_target(std::string_view target) {
  return target == "/front/status" || target.starts_with("/front/origins/") ||
         target.starts_with("/front/steering/");
}

Response ProxyHandler::handle(http::Exchange& exchange) {
  return error_response(exchange, 500, "InternalError", "The front answers asynchronously.");
}

Response ProxyHandler::error_response(http::Exchange&, unsigned status, const std::string& code,
                                      const std::string& message) {
  return text_response(status, code + ": " + message + "\n");
}

net::awaitable<Response> ProxyHandler::handle_async(http::Exchange& ex) {
  ++state_.counters().requests;
  std::string_view target = ex.request.target();
  if (is_admin_target(target)) co_return admin(ex);
  http::Target parsed(target);
  if (SteeringServer* steering = state_.steering())
    if (steering->serves(parsed.raw_path())) co_return steer(ex, *steering, parsed);
  note_cmcd(ex, parsed);
  auto method = ex.request.method();
  if (method == bhttp::verb::get) co_return co_await cached_get(ex);
  if (method == bhttp::verb::head || method == bhttp::verb::options)
    co_return co_await pass_through(ex);
  ex.log_cause = "method not forwarded by the front";
  auto res = text_response(405, "The front forwards GET, HEAD and OPTIONS only.\n");
  res.set(bhttp::field::allow, "GET, HEAD, OPTIONS");
  co_return res;
}

void ProxyHandler::note_cmcd(http::Exchange& ex, const http::Target& target) {
  auto found = cmcd_from(target, ex.request);
  if (!found.error.empty()) {
    state_.qoe().malformed();
    log::warn("cmcd_ignored", {{"request_id", ex.request_id}, {"cause", found.error}});
  }
  if (found.data)
    state_.qoe().record(state_.pathway_reached(ex.request[bhttp::field::host]), *found.data);
}

net::awaitable<Response> ProxyHandler::cached_get(http::Exchange& ex) {
  std::string key = without_cmcd(ex.request.target());
  bool leader = false;
  Cache::Object object = co_await wait_for_leader(key, leader);
  if (leader) co_return co_await fill_as_leader(ex, key);
  if (object) co_return from_cache(ex, object);
  // The leader got nothing to share (an object too large to keep, or no origin answered).
  co_return co_await pass_through(ex);
}

net::awaitable<Cache::Object> ProxyHandler::wait_for_leader(const std::string& key, bool& leader) {
  struct Waiter {
    explicit Waiter(net::any_io_executor executor) : timer(executor) {}
    net::steady_timer timer;
    Cache::Object object;
    bool ready = false;
  };
  auto executor = co_await net::this_coro::executor;
  auto waiter = std::make_shared<Waiter>(executor);
  auto lookup = state_.cache().lookup(key, [waiter](Cache::Object object) {
    // The leader may finish on another thread: the waiter is woken on its own.
    net::post(waiter->timer.get_executor(), [waiter, object] {
      waiter->object = object;
      waiter->ready = true;
      waiter->timer.cancel();
    });
  });
  if (lookup.role == Cache::Role::hit) co_return lookup.object;
  if (lookup.role == Cache::Role::leader) {
    leader = true;
    co_return nullptr;
  }
  while (!waiter->ready) {
    waiter->timer.expires_at(net::steady_timer::time_point::max());
    co_await waiter->timer.async_wait(net::as_tuple(net::use_awaitable));
  }
  co_return waiter->object;
}

net::awaitable<Response> ProxyHandler::fill_as_leader(http::Exchange& ex, const std::string& key) {
  LeaderDuty settle{state_.cache(), key};
  auto fetch = std::make_shared<OriginFetch>(state_, upstream_request(ex.request, true));
  bool answered = co_await fetch->start();
  ex.upstream = fetch->trail();
  if (!answered) {
    state_.cache().fail(key);
    settle.done = true;
    if (auto stale = state_.cache().stale(key)) co_return from_cache(ex, stale, true);
    co_return no_origin_response(*fetch);
  }
  auto length = fetch->content_length();
  if (!length || *length > state_.cache().max_object_bytes()) {
    state_.cache().fail(key);
    settle.done = true;
    if (!length || has_range_or_conditions(ex.request)) co_return co_await pass_through(ex);
    Response res{static_cast<bhttp::status>(fetch->status()), 11};
    for (const auto& field : fetch->head())
      if (!hop_by_hop(field.name_string())) res.set(field.name_string(), field.value());
    res.set("X-Cache", "MISS");
    res.set("X-Served-By", fetch->served_by().config.name);
    res.body().source = std::make_shared<FetchSource>(fetch);
    res.body().source_length = *length;
    co_return res;
  }
  CachedObject object;
  object.status = fetch->status();
  object.served_by = fetch->served_by().config.name;
  std::string cache_control;
  for (const auto& field : fetch->head()) {
    if (hop_by_hop(field.name_string())) continue;
    object.headers.emplace_back(field.name_string(), field.value());
    if (field.name() == bhttp::field::etag) object.etag = field.value();
    if (field.name() == bhttp::field::last_modified) object.last_modified = field.value();
    if (field.name() == bhttp::field::cache_control) cache_control = field.value();
  }
  object.body.reserve(*length);
  std::string cut = co_await read_whole(*fetch, object.body);
  ex.upstream = fetch->trail();
  if (!cut.empty() || object.body.size() != *length) {
    ex.log_cause = "the body could not be completed from any origin: " + cut;
    co_return no_origin_response(*fetch);
  }
  // Cache hits then leave by sendfile(2) like the origin's files: 283 KB video segments went
  // from 0.79x nginx proxy_cache's rate (a write from memory) to 1.0x (bench/front).
  const std::string& dir = state_.config().cache_dir;
  if (auto file = dir.empty() ? http::File::in_memory(object.body)
                              : http::File::in_directory(dir, object.body)) {
    object.file = std::move(file);
    object.file_length = object.body.size();
    std::string().swap(object.body);
  }
  auto kept = state_.cache().fill(key, std::move(object), cache_control);
  settle.done = true;
  auto res = from_cache(ex, kept);
  res.set("X-Cache", "MISS");
  co_return res;
}

net::awaitable<Response> ProxyHandler::pass_through(http::Exchange& ex) {
  auto fetch = std::make_shared<OriginFetch>(state_, upstream_request(ex.request, false));
  bool answered = co_await fetch->start();
  ex.upstream = fetch->trail();
  if (!answered) co_return no_origin_response(*fetch);
  Response res{static_cast<bhttp::status>(fetch->status()), 11};
  for (const auto& field : fetch->head())
    if (!hop_by_hop(field.name_string())) res.set(field.name_string(), field.value());
  res.set("X-Cache", "MISS");
  res.set("X-Served-By", fetch->served_by().config.name);
  auto length = fetch->content_length();
  if (ex.request.method() == bhttp::verb::head) {
    auto it = fetch->head().find(bhttp::field::content_length);
    if (it != fetch->head().end()) res.set(bhttp::field::content_length, it->value());
    co_return res;
  }
  if (!length) {
    // Chunked: read it whole, within the cache's object size.
    std::string body;
    while (true) {
      auto chunk = co_await fetch->next();
      if (chunk.empty()) break;
      if (body.size() + chunk.size() > state_.cache().max_object_bytes())
        throw std::runtime_error("a response without a length is too large to relay");
      body.append(chunk);
    }
    res.body().text = std::move(body);
    co_return res;
  }
  res.body().source = std::make_shared<FetchSource>(fetch);
  res.body().source_length = *length;
  co_return res;
}

Response ProxyHandler::from_cache(http::Exchange& ex, const Cache::Object& object, bool stale) {
  Response res;
  res.version(11);
  uint64_t first = 0, length = object->length();
  unsigned status = object->status;
  if (status == 200) {
    auto value = [&](bhttp::field f) { return std::string_view(ex.request[f]); };
    auto answer = answer_from(
        *object, {value(bhttp::field::range), value(bhttp::field::if_match),
                  value(bhttp::field::if_none_match), value(bhttp::field::if_modified_since),
                  value(bhttp::field::if_unmodified_since)});
    status = answer.status;
    first = answer.first;
    length = answer.length;
  }
  res.result(static_cast<bhttp::status>(status));
  for (const auto& [name, value] : object->headers) {
    if (status == 304 && !boost::beast::iequals(name, "etag") &&
        !boost::beast::iequals(name, "last-modified") &&
        !boost::beast::iequals(name, "cache-control") && !boost::beast::iequals(name, "date"))
      continue;
    res.set(name, value);
  }
  std::string total = std::to_string(object->length());
  if (status == 206)
    res.set(bhttp::field::content_range, "bytes " + std::to_string(first) + "-" +
                                             std::to_string(first + length - 1) + "/" + total);
  if (status == 416) res.set(bhttp::field::content_range, "bytes */" + total);
  res.set("X-Cache", "HIT");
  res.set("X-Served-By", object->served_by);
  if (stale) res.set(bhttp::field::warning, "110 - \"Response is Stale\"");
  bool has_body = status == 200 || status == 206 || object->status != 200;
  if (has_body && length > 0 && object->file) {
    res.body().spans.push_back({object->file, first, length});
  } else if (has_body && length > 0) {
    res.body().source = std::make_shared<CachedSlice>(object, first, length);
    res.body().source_length = length;
  }
  return res;
}

// The steering manifest, never cached: players reload it every TTL to learn of a change.
Response ProxyHandler::steer(http::Exchange& ex, SteeringServer& steering,
                             const http::Target& target) {
  auto method = ex.request.method();
  if (method != bhttp::verb::get && method != bhttp::verb::head) {
    auto res = text_response(405, "The steering manifest answers GET and HEAD.\n");
    res.set(bhttp::field::allow, "GET, HEAD");
    return res;
  }
  auto answer = steering.respond(steering_request_from(target));
  auto res = text_response(answer.status, std::move(answer.body));
  if (answer.status == 200) res.set(bhttp::field::content_type, "application/json");
  if (answer.status == 410) ex.log_cause = "the steering server is retired";
  if (answer.status == 429) {
    ex.log_cause = "over steering_requests_per_second";
    res.set(bhttp::field::retry_after, std::to_string(answer.retry_after));
    // Players in pages read it from a cross-origin response only when it is exposed.
    res.set(bhttp::field::access_control_expose_headers, "Retry-After");
  }
  return res;
}

// An admin action: POST with the admin key; the refusal, or nothing when it may go on.
std::optional<Response> ProxyHandler::refuse_unauthorized(http::Exchange& ex) {
  if (ex.request.method() != bhttp::verb::post) {
    auto res = text_response(405, "POST only.\n");
    res.set(bhttp::field::allow, "POST");
    return res;
  }
  const std::string& key = state_.config().admin_key;
  if (key.empty()) {
    ex.log_cause = "admin request refused: no admin key is configured";
    return text_response(403, "Administration is off: the front has no admin key.\n");
  }
  std::string_view given = ex.request[bhttp::field::authorization];
  if (given != "Bearer " + key) {
    ex.log_cause = "admin request refused: wrong or missing admin key";
    auto res = text_response(401, "The admin key is missing or wrong.\n");
    res.set(bhttp::field::www_authenticate, "Bearer");
    return res;
  }
  return std::nullopt;
}

// POST /front/steering/retire (steering requests answer 410 Gone) and /resume.
Response ProxyHandler::steering_admin(http::Exchange& ex) {
  std::string_view action = ex.request.target().substr(std::string_view("/front/steering/").size());
  SteeringServer* steering = state_.steering();
  if (!steering || (action != "retire" && action != "resume"))
    return text_response(404, "No such resource.\n");
  if (auto refused = refuse_unauthorized(ex)) return std::move(*refused);
  steering->retire(action == "retire");
  log::info(action == "retire" ? "steering_retired" : "steering_resumed", {});
  return text_response(200, std::string(action == "retire" ? "retired" : "resumed") + "\n");
}

Response ProxyHandler::admin(http::Exchange& ex) {
  std::string_view target = ex.request.target();
  auto method = ex.request.method();
  if (target == "/front/status") {
    if (method != bhttp::verb::get && method != bhttp::verb::head) {
      auto res = text_response(405, "GET /front/status\n");
      res.set(bhttp::field::allow, "GET, HEAD");
      return res;
    }
    auto res = text_response(200, status_json(state_) + "\n");
    res.set(bhttp::field::content_type, "application/json");
    return res;
  }
  if (target.starts_with("/front/steering/")) return steering_admin(ex);
  // /front/origins/{name}/drain or /enable
  std::string_view rest = target.substr(std::string_view("/front/origins/").size());
  auto slash = rest.find('/');
  std::string name(rest.substr(0, slash));
  std::string_view action = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  if (action != "drain" && action != "enable") return text_response(404, "No such resource.\n");
  if (auto refused = refuse_unauthorized(ex)) return std::move(*refused);
  Origin* origin = state_.find(name);
  if (!origin) return text_response(404, "No origin is named " + name + ".\n");
  bool drain = action == "drain";
  origin->drained = drain;
  log::info(drain ? "origin_drained" : "origin_enabled", {{"origin", name}});
  auto res = text_response(200, origin_json(state_, *origin) + "\n");
  res.set(bhttp::field::content_type, "application/json");
  return res;
}

}  // namespace twin::front
