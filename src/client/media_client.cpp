#include "client/media_client.h"

#include "common/strings.h"

namespace twin::client {
namespace {

std::string with_trailing_slash(std::string url) {
  if (!url.ends_with('/')) url += '/';
  return url;
}

Json parse_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  Json j = Json::parse(text, nullptr, false);
  return j.is_discarded() ? Json(nullptr) : j;
}

}  // namespace

MediaClient::MediaClient(const DataCenterProfile& profile, std::chrono::milliseconds timeout)
    : name_(profile.name),
      media_api_(with_trailing_slash(profile.media_api)),
      account_(profile.media_account),
      key_(profile.media_key),
      http_(timeout) {}

void MediaClient::fetch_token() {
  http::ClientRequest req{"POST", str::url_origin(media_api_) + "/v2/OAuth2-13", {}, {}};
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  req.body = "grant_type=client_credentials&client_id=" + str::percent_encode(account_) +
             "&client_secret=" + str::percent_encode(key_) +
             "&scope=" + str::percent_encode("urn:WindowsAzureMediaServices");
  http::ClientResponse res = http_.send(req, 1 << 20);
  Json body = parse_or_null(res.body);
  if (res.status != 200 || !body.is_object() || !body.contains("access_token"))
    throw MediaCallError(res.status, "data center " + name_ + ": the token request for " +
                                         account_ + " answered " + std::to_string(res.status) +
                                         " " + res.body.substr(0, 200));
  token_ = body["access_token"].get<std::string>();
}

void MediaClient::connect() {
  fetch_token();
  // The tutorial's discovery: the global entry answers 301 with the account's API root.
  Answer a = send("GET", media_api_, nullptr);
  if (a.status == 301 || a.status == 302) {
    api_root_ = with_trailing_slash(a.text);
  } else if (a.status == 200) {
    api_root_ = media_api_;
  } else {
    throw MediaCallError(a.status, "data center " + name_ + ": " + media_api_ + " answered " +
                                       std::to_string(a.status) + " " + odata_message(a));
  }
}

MediaClient::Answer MediaClient::send(const std::string& method, const std::string& url,
                                      const Json* body) {
  http::ClientRequest req{method, url, {}, body ? body->dump() : std::string()};
  const char* type = "application/json;odata=verbose";
  req.headers = {{"Authorization", "Bearer " + token_},
                 {"x-ms-version", "2.19"},
                 {"DataServiceVersion", "3.0"},
                 {"MaxDataServiceVersion", "3.0"},
                 {"Accept", type}};
  if (body) req.headers.emplace_back("Content-Type", type);
  http::ClientResponse res = http_.send(req, 64ull << 20);
  Answer a{res.status, parse_or_null(res.body), res.body};
  if (res.status == 301 || res.status == 302) a.text = res.header("Location");
  return a;
}

MediaClient::Answer MediaClient::call(const std::string& method, const std::string& path,
                                      const Json* body) {
  if (api_root_.empty()) connect();
  Answer a = send(method, api_root_ + path, body);
  if (a.status == 401) {  // the token expired (6 hours): once more with a new one
    fetch_token();
    a = send(method, api_root_ + path, body);
  }
  return a;
}

Json MediaClient::get(const std::string& path) {
  Answer a = call("GET", path);
  if (a.status != 200 || !a.body.contains("d"))
    throw MediaCallError(a.status, name_ + ": GET " + path + " answered " +
                                       std::to_string(a.status) + " " + odata_message(a));
  Json d = a.body["d"];
  if (d.is_object() && d.contains("results")) return d["results"];
  return d;
}

Json MediaClient::create(const std::string& set, const Json& body) {
  Answer a = call("POST", set, &body);
  if (a.status != 201 || !a.body.contains("d"))
    throw MediaCallError(a.status, name_ + ": POST " + set + " answered " +
                                       std::to_string(a.status) + " " + odata_message(a));
  return a.body["d"];
}

void MediaClient::merge(const std::string& path, const Json& body) {
  Answer a = call("MERGE", path, &body);
  if (a.status != 204)
    throw MediaCallError(a.status, name_ + ": MERGE " + path + " answered " +
                                       std::to_string(a.status) + " " + odata_message(a));
}

void MediaClient::remove(const std::string& path) {
  Answer a = call("DELETE", path);
  if (a.status != 204 && a.status != 404)
    throw MediaCallError(a.status, name_ + ": DELETE " + path + " answered " +
                                       std::to_string(a.status) + " " + odata_message(a));
}

std::string entity_key(const std::string& id) {
  return "('" + str::percent_encode(id) + "')";
}

std::string odata_message(const MediaClient::Answer& answer) {
  const Json& b = answer.body;
  if (b.is_object() && b.contains("error")) {
    const Json& e = b["error"];
    if (e.contains("message") && e["message"].is_object() && e["message"].contains("value"))
      return e["message"]["value"].get<std::string>();
    if (e.contains("message") && e["message"].is_string()) return e["message"].get<std::string>();
  }
  return answer.text.substr(0, 300);
}

}  // namespace twin::client
