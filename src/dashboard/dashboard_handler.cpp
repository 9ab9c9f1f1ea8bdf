#include "dashboard/dashboard_handler.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <variant>

#include "dashboard/embedded_files.h"
#include "encode/preset.h"
#include "http/json_response.h"
#include "http/target.h"

// GCC 12's false -Wmismatched-new-delete on Asio coroutine frames (see front/proxy.cpp).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace twin::dashboard {
namespace bhttp = boost::beast::http;
using http::json_error;
using http::json_response;
using http::Response;

namespace {

Response response(unsigned status, std::string body, std::string_view content_type) {
  Response res{bhttp::status(status), 11};
  res.set(bhttp::field::content_type, content_type);
  res.set(bhttp::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.body().text = std::move(body);
  res.prepare_payload();
  return res;
}

Response method_not_allowed(http::Exchange& ex, std::string_view allow) {
  ex.log_cause = "dashboard: method " + std::string(ex.request.method_string()) + " not allowed";
  auto res = json_error(405, "MethodNotAllowed", "Allowed: " + std::string(allow));
  res.set(bhttp::field::allow, allow);
  return res;
}

bool is_read(const http::Request& request) {
  return request.method() == bhttp::verb::get || request.method() == bhttp::verb::head;
}

}  // namespace

DashboardHandler::DashboardHandler(std::shared_ptr<http::Handler> front, DashboardApi& api,
                                   DrillActions& drill, UploadPipeline* uploads,
                                   const std::vector<std::string>& connect_sources)
    : front_(std::move(front)), api_(api), drill_(drill), uploads_(uploads) {
  std::string connect = "'self'";
  for (const auto& source : connect_sources) connect += " " + source;
  // Nothing the page runs or shows may come from elsewhere than this front; hls.js and dash.js
  // start their workers from blob: URLs and play MSE from blob: URLs.
  content_security_policy_ =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "media-src 'self' blob:; worker-src 'self' blob:; connect-src " +
      connect + "; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
}

bool DashboardHandler::is_dashboard(std::string_view target) {
  return target == "/dashboard" || target.starts_with("/dashboard/") ||
         target.starts_with("/dashboard?") || target.starts_with("/front/api/");
}

uint64_t DashboardHandler::plan_body(http::Exchange& ex) {
  if (is_dashboard(ex.request.target())) return 64 << 10;  // the page's actions: small JSON
  return front_->plan_body(ex);
}

Response DashboardHandler::handle(http::Exchange& ex) {
  std::string_view target = ex.request.target();
  if (!is_dashboard(target)) return front_->handle(ex);
  if (target.starts_with("/front/api/")) return api(ex);
  return page_file(ex);
}

boost::asio::awaitable<Response> DashboardHandler::handle_async(http::Exchange& ex) {
  std::string_view target = ex.request.target();
  if (target == "/front/api/drill" || target.starts_with("/front/api/drill/") ||
      target.starts_with("/front/api/drill?"))
    co_return co_await drill(ex);
  if (target == "/front/api/upload" || target.starts_with("/front/api/upload/"))
    co_return co_await upload(ex);
  if (is_dashboard(target)) co_return handle(ex);
  co_return co_await front_->handle_async(ex);
}

namespace {
boost::asio::awaitable<Response> run_blocking(std::function<Response()> fn) {
  co_return fn();
}
}  // namespace

// Not a coroutine itself, and no capturing lambda coroutine: GCC 12 miscompiled a lambda
// coroutine capturing the std::function here (a crash copying it on the pool's thread).
boost::asio::awaitable<Response> DashboardHandler::offload(std::function<Response()> fn) {
  return boost::asio::co_spawn(blocking_, run_blocking(std::move(fn)), boost::asio::use_awaitable);
}

namespace {

// What a request under /front/api/upload asks for.
struct UploadCall {
  enum Kind { begin, uploaded, status } kind = status;
  std::string id, datacenter, name, preset;
};

std::string text_of(const nlohmann::json& body, const char* key) {
  return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : "";
}

// Parses the request (no coroutine: GCC 12 destroyed a lambda with init-captures twice when
// it was made inside one, as ASan showed); an error response when it is not one we serve.
std::variant<UploadCall, Response> parse_upload_call(http::Exchange& ex) {
  http::Target target(ex.request.target());
  std::string rest = target.raw_path().substr(std::string_view("/front/api/upload").size());
  UploadCall call;
  if (is_read(ex.request)) {
    if (rest.size() <= 1 || rest.find('/', 1) != std::string::npos) {
      ex.log_cause = "dashboard upload: no such resource";
      return json_error(404, "NotFound", "No such upload resource.");
    }
    call.id = rest.substr(1);
    return call;
  }
  nlohmann::json body = nlohmann::json::object();
  if (!ex.request.body().memory.empty())
    body = nlohmann::json::parse(ex.request.body().memory, nullptr, false);
  if (!body.is_object()) {
    ex.log_cause = "dashboard upload: the body is not a JSON object";
    return json_error(400, "InvalidJson", "The body must be a JSON object.");
  }
  const std::string_view suffix = "/uploaded";
  if (rest.empty()) {
    call.kind = UploadCall::begin;
    call.datacenter = text_of(body, "datacenter");
    call.name = text_of(body, "name");
  } else if (rest.size() > suffix.size() + 1 && rest.ends_with(suffix)) {
    call.kind = UploadCall::uploaded;
    call.id = rest.substr(1, rest.size() - 1 - suffix.size());
    call.preset = text_of(body, "preset");
  } else {
    ex.log_cause = "dashboard upload: no such resource";
    return json_error(404, "NotFound", "No such upload resource.");
  }
  return call;
}

// On the blocking pool: the media API calls.
Response run_upload_call(UploadPipeline* uploads, const UploadCall& call, std::string* cause) {
  try {
    nlohmann::json answer =
        call.kind == UploadCall::begin      ? uploads->begin(call.datacenter, call.name)
        : call.kind == UploadCall::uploaded ? uploads->uploaded(call.id, call.preset)
                                            : uploads->status(call.id);
    return json_response(200, answer);
  } catch (const UploadError& e) {
    *cause = "dashboard upload: " + std::string(e.what());
    return json_error(e.status, "UploadRefused", e.what());
  } catch (const std::exception& e) {
    *cause = "dashboard upload: the data center answered: " + std::string(e.what());
    return json_error(502, "DataCenterFailed", e.what());
  }
}

}  // namespace

// POST /front/api/upload {"datacenter", "name"}, POST /front/api/upload/{id}/uploaded
// {"preset"} (actions: the key, this front's page), GET /front/api/upload/{id} (a read).
boost::asio::awaitable<Response> DashboardHandler::upload(http::Exchange& ex) {
  if (!uploads_) {
    ex.log_cause = "dashboard upload: no data center profiles";
    co_return json_error(409, "NoProfiles", "This front was started without --profiles.");
  }
  if (!is_read(ex.request)) {
    if (ex.request.method() != bhttp::verb::post) co_return method_not_allowed(ex, "GET, POST");
    if (auto refused = drill_.refuse(ex)) co_return std::move(*refused);
  }
  auto parsed = parse_upload_call(ex);
  if (auto* error = std::get_if<Response>(&parsed)) co_return std::move(*error);
  co_return co_await offload(
      std::bind(run_upload_call, uploads_, std::get<UploadCall>(parsed), &ex.log_cause));
}

boost::asio::awaitable<Response> DashboardHandler::drill(http::Exchange& ex) {
  http::Target target(ex.request.target());
  const std::string& path = target.raw_path();
  if (path == "/front/api/drill") {
    if (!is_read(ex.request)) co_return method_not_allowed(ex, "GET, HEAD");
    co_return co_await drill_.states(ex);
  }
  if (ex.request.method() != bhttp::verb::post) co_return method_not_allowed(ex, "POST");
  if (auto refused = drill_.refuse(ex)) co_return std::move(*refused);
  std::string_view rest =
      std::string_view(path).substr(std::string_view("/front/api/drill/").size());
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) {
    ex.log_cause = "dashboard: no action in " + path;
    co_return json_error(404, "NotFound", "POST /front/api/drill/{origin}/{action}");
  }
  co_return co_await drill_.act(ex, std::string(rest.substr(0, slash)),
                                std::string(rest.substr(slash + 1)));
}

Response DashboardHandler::error_response(http::Exchange& ex, unsigned status,
                                          const std::string& code, const std::string& message) {
  if (is_dashboard(ex.request.target())) return json_error(status, code, message);
  return front_->error_response(ex, status, code, message);
}

Response DashboardHandler::page_file(http::Exchange& ex) {
  if (!is_read(ex.request)) return method_not_allowed(ex, "GET, HEAD");
  http::Target target(ex.request.target());
  if (target.raw_path() == "/dashboard") {  // the page's relative URLs need the slash
    auto res = response(301, "", "text/plain");
    res.set(bhttp::field::location, "/dashboard/");
    return res;
  }
  const EmbeddedFile* file = find_embedded(target.raw_path());
  if (!file) {
    ex.log_cause = "dashboard: no file " + target.raw_path();
    return response(404, "No such file.\n", "text/plain; charset=utf-8");
  }
  std::string_view if_none_match = ex.request[bhttp::field::if_none_match];
  bool not_modified =
      !if_none_match.empty() && if_none_match.find(file->etag) != std::string_view::npos;
  Response res{not_modified ? bhttp::status::not_modified : bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, file->content_type);
  res.set(bhttp::field::etag, file->etag);
  // Revalidated on each load: a new binary may carry a new page under the same URL.
  res.set(bhttp::field::cache_control, "no-cache");
  res.set("X-Content-Type-Options", "nosniff");
  if (file->content_type.starts_with("text/html")) {
    res.set("Content-Security-Policy", content_security_policy_);
    res.set("Referrer-Policy", "no-referrer");
  }
  if (!not_modified) res.body().text.assign(file->body);
  res.prepare_payload();
  return res;
}

Response DashboardHandler::api(http::Exchange& ex) {
  http::Target target(ex.request.target());
  const std::string& path = target.raw_path();
  if (path == "/front/api/presets") {
    if (!is_read(ex.request)) return method_not_allowed(ex, "GET, HEAD");
    nlohmann::json body = {{"presets", encode::builtin_preset_names()}};
    return json_response(200, body);
  }
  if (path == "/front/api/overview" || path == "/front/api/assets") {
    if (!is_read(ex.request)) return method_not_allowed(ex, "GET, HEAD");
    auto body = path == "/front/api/overview" ? api_.overview() : api_.assets();
    return json_response(200, body);
  }
  if (path.starts_with("/front/api/verify/")) return verify_again(ex, target);
  ex.log_cause = "dashboard: no API " + path;
  return json_error(404, "NotFound", "No such API: " + path);
}

// POST /front/api/verify/{locator Id}: verify that asset's copies again now (an action: it reads
// every segment through both origins).
Response DashboardHandler::verify_again(http::Exchange& ex, const http::Target& target) {
  if (ex.request.method() != bhttp::verb::post) return method_not_allowed(ex, "POST");
  if (auto refused = drill_.refuse(ex)) return std::move(*refused);
  std::string locator = target.decoded_path().substr(std::string_view("/front/api/verify/").size());
  ReplicationVerifier* verifier = api_.verifier();
  if (!verifier) {
    ex.log_cause = "dashboard verify: no data center profiles";
    return json_error(409, "NoProfiles", "This front was started without --profiles.");
  }
  if (!verifier->again(locator)) {
    ex.log_cause = "dashboard verify: no replicated asset with locator " + locator;
    return json_error(404, "NotFound",
                      "No asset in two data centers with the locator " + locator + ".");
  }
  nlohmann::json body = {{"locator", locator}, {"state", "pending"}};
  return json_response(202, body);
}

}  // namespace twin::dashboard
