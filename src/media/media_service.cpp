#include "media/media_service.h"

#include <boost/beast/http/status.hpp>

#include "blob/storage_client.h"
#include "common/crypto.h"
#include "common/log.h"
#include "common/strings.h"
#include "http/client.h"
#include "http/target.h"
#include "media/errors.h"
#include "media/tokens.h"

namespace twin::media {
namespace bhttp = boost::beast::http;
namespace {

constexpr uint64_t kMaxBody = 4u << 20;
constexpr const char* kScope = "urn:WindowsAzureMediaServices";

bool wants_verbose(const http::Exchange& ex) {
  auto accept = ex.request[bhttp::field::accept];
  return accept.find("odata=verbose") != std::string_view::npos;
}

std::map<std::string, std::string> form_fields(const std::string& body) {
  std::map<std::string, std::string> out;
  for (auto part : str::split(body, '&')) {
    auto eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    out[str::percent_decode(part.substr(0, eq), true)] =
        str::percent_decode(part.substr(eq + 1), true);
  }
  return out;
}

int64_t unix_now() {
  return now_ms() / 1000;
}

std::string bearer(const http::Exchange& ex) {
  std::string_view auth = ex.request[bhttp::field::authorization];
  if (!str::istarts_with(auth, "Bearer ")) return "";
  return std::string(str::trim(auth.substr(7)));
}

}  // namespace

http::Response json_response(http::Exchange& ex, unsigned status, const std::string& body,
                             const std::string& content_type) {
  http::Response res{static_cast<bhttp::status>(status), 11};
  res.set("request-id", ex.request_id);
  res.set("x-ms-request-id", ex.request_id);
  res.set("DataServiceVersion", "3.0;");
  res.set(bhttp::field::server, "twinorigin-media/0.1");
  if (auto id = ex.request["client-request-id"]; !id.empty()) res.set("client-request-id", id);
  if (!body.empty()) {
    res.set(bhttp::field::content_type, content_type);
    res.body().text = body;
  }
  return res;
}

MediaService::MediaService(MediaSettings settings, EntityStore& store)
    : settings_(std::move(settings)), store_(store), jobs_(store_, settings_) {}

MediaService::~MediaService() {
  stop();
}

void MediaService::start(const std::string& host, uint16_t port) {
  if (settings_.public_url.empty())
    settings_.public_url = "http://" + host + ":" + std::to_string(port);
  jobs_.start();
}

void MediaService::stop() {
  jobs_.stop();
}

const MediaAccount* MediaService::find_account(std::string_view name) const {
  for (const auto& a : settings_.accounts)
    if (a.name == name) return &a;
  return nullptr;
}

uint64_t MediaService::plan_body(http::Exchange& ex) {
  ex.blocking = true;  // API calls wait on SQLite and on the storage service
  return kMaxBody;
}

// The account whose key signed the bearer token (and, when expected, that one only).
const MediaAccount& MediaService::authorize(http::Exchange& ex,
                                            const MediaAccount* expected) const {
  std::string token = bearer(ex);
  if (token.empty())
    throw MediaError(401, "Unauthorized", "An Authorization: Bearer token is required");
  auto claims = read_token(token);
  const MediaAccount* account = claims ? find_account(claims->account) : nullptr;
  if (!account || !verify_token(token, account->key, unix_now()))
    throw MediaError(401, "Unauthorized",
                     "The access token is malformed, tampered with or expired");
  if (expected && account != expected)
    throw MediaError(401, "Unauthorized", "The access token was issued for another account");
  return *account;
}

http::Response MediaService::token(http::Exchange& ex) {
  auto fields = form_fields(ex.request.body().memory);
  auto oauth_error = [&](unsigned status, const char* error, const std::string& description) {
    ex.log_cause = description;
    Json body = {{"error", error}, {"error_description", description}};
    return json_response(ex, status, body.dump(), "application/json; charset=utf-8");
  };
  if (fields["grant_type"] != "client_credentials")
    return oauth_error(400, "unsupported_grant_type", "grant_type must be client_credentials");
  std::string scope = fields["scope"];
  if (scope != kScope && "urn:" + scope != kScope)
    return oauth_error(400, "invalid_scope", "scope must be " + std::string(kScope));
  const MediaAccount* account = find_account(fields["client_id"]);
  if (!account || !crypto::constant_time_equal(fields["client_secret"], account->key))
    return oauth_error(401, "invalid_client", "unknown client_id or wrong client_secret");
  int64_t expires = unix_now() + settings_.token_lifetime_seconds;
  Json body = {{"token_type", "http://schemas.xmlsoap.org/ws/2009/11/swt-token-profile-1.0"},
               {"access_token", issue_token(account->name, account->key, expires)},
               {"expires_in", std::to_string(settings_.token_lifetime_seconds)},
               {"scope", kScope}};
  return json_response(ex, 200, body.dump(), "application/json; charset=utf-8");
}

// The global entry: like media.windows.net, it sends every API call to the account's root.
http::Response MediaService::redirect(http::Exchange& ex) {
  const MediaAccount& account = authorize(ex, nullptr);
  std::string location = settings_.public_url + "/" + account.name + "/api/";
  http::Response res = json_response(
      ex, 301,
      "<html><head><title>Object moved</title></head><body><h2>Object moved to <a href=\"" +
          location + "\">here</a>.</h2></body></html>",
      "text/html; charset=utf-8");
  res.set(bhttp::field::location, location);
  return res;
}

http::Response MediaService::account_api(http::Exchange& ex, const MediaAccount& account,
                                         std::string_view rest) {
  authorize(ex, &account);
  if (ex.request["x-ms-version"].empty())
    throw bad_request("The x-ms-version header is required (for example 2.19)");
  Api api{store_,
          settings_,
          account,
          {wants_verbose(ex), settings_.public_url + "/" + account.name + "/api"},
          &jobs_};
  return route_api(api, ex, rest);
}

http::Response MediaService::handle(http::Exchange& ex) {
  http::Target target(ex.request.target());
  std::string path = target.raw_path();
  try {
    if (path == "/v2/OAuth2-13" || path == "/v2/OAuth2-13/") {
      if (ex.request.method() != bhttp::verb::post)
        throw MediaError(405, "MethodNotAllowed", "The token endpoint takes POST");
      return token(ex);
    }
    if (path == "/api" || path.starts_with("/api/")) return redirect(ex);
    auto slash = path.find('/', 1);
    std::string account_name =
        path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    std::string_view after = slash == std::string::npos ? "" : std::string_view(path).substr(slash);
    const MediaAccount* account = find_account(account_name);
    if (!account || !(after == "/api" || after.starts_with("/api/")))
      throw not_found("No Media Services account API at " + path);
    return account_api(ex, *account, after.size() > 5 ? after.substr(5) : "");
  } catch (const MediaError& e) {
    return error_response(ex, e.status, e.code, e.what());
  } catch (const blob::StorageCallError& e) {
    return error_response(ex, 500, "StorageError",
                          std::string("The storage service refused a call: ") + e.what());
  } catch (const Json::exception& e) {  // a value of the wrong shape got past the checks
    return error_response(ex, 400, "BadRequest",
                          std::string("The request has a value of the wrong type: ") + e.what());
  } catch (const http::ClientError& e) {
    return error_response(ex, 503, "StorageUnavailable",
                          std::string("The storage service cannot be reached: ") + e.what());
  }
}

http::Response MediaService::error_response(http::Exchange& ex, unsigned status,
                                            const std::string& code, const std::string& message) {
  if (ex.log_cause.empty()) ex.log_cause = message;
  bool verbose = wants_verbose(ex);
  return json_response(ex, status, error_body(verbose, code, message), content_type(verbose));
}

}  // namespace twin::media
