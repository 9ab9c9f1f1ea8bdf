#include "blob/cors.h"

#include <pugixml.hpp>

#include "blob/errors.h"
#include "common/strings.h"
#include "common/xml.h"

namespace twin::blob {
namespace bhttp = boost::beast::http;

namespace {

constexpr size_t kMaxRules = 5, kMaxName = 256;
const char* const kMethods[] = {"DELETE", "GET",     "HEAD", "MERGE",
                                "POST",   "OPTIONS", "PUT",  "PATCH"};

std::vector<std::string> list_of(const std::string& text, bool upper = false) {
  std::vector<std::string> out;
  for (auto part : str::split(text, ',')) {
    std::string item(str::trim(part));
    if (item.empty()) continue;
    if (upper)
      for (auto& c : item) c = char(std::toupper(static_cast<unsigned char>(c)));
    out.push_back(item);
  }
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

// "x-ms-meta-*" matches every header with that prefix; "*" matches any.
bool header_allowed(const std::vector<std::string>& patterns, std::string_view header) {
  for (const auto& p : patterns) {
    if (p == "*") return true;
    if (p.ends_with('*') ? str::istarts_with(header, std::string_view(p).substr(0, p.size() - 1))
                         : str::iequals(header, p))
      return true;
  }
  return false;
}

bool origin_allowed(const CorsRule& rule, std::string_view origin) {
  for (const auto& o : rule.allowed_origins)
    if (o == "*" || str::iequals(o, origin)) return true;
  return false;
}

bool allows_any_origin(const CorsRule& rule) {
  for (const auto& o : rule.allowed_origins)
    if (o == "*") return true;
  return false;
}

void check(bool ok, const std::string& what) {
  if (!ok) throw errors::invalid_xml(what);
}

}  // namespace

std::vector<CorsRule> parse_cors(std::string_view cors_xml) {
  pugi::xml_document doc;
  check(doc.load_buffer(cors_xml.data(), cors_xml.size()), "The Cors element is not XML.");
  std::vector<CorsRule> rules;
  for (auto node : doc.child("Cors").children("CorsRule")) {
    CorsRule rule;
    rule.allowed_origins = list_of(node.child_value("AllowedOrigins"));
    rule.allowed_methods = list_of(node.child_value("AllowedMethods"), true);
    rule.allowed_headers = list_of(node.child_value("AllowedHeaders"));
    rule.exposed_headers = list_of(node.child_value("ExposedHeaders"));
    std::string age(str::trim(node.child_value("MaxAgeInSeconds")));
    check(!rule.allowed_origins.empty(), "A CorsRule needs AllowedOrigins.");
    check(!rule.allowed_methods.empty(), "A CorsRule needs AllowedMethods.");
    for (const auto& m : rule.allowed_methods) {
      bool known = false;
      for (const char* k : kMethods) known = known || m == k;
      check(known, "AllowedMethods has " + m +
                       "; allowed: DELETE, GET, HEAD, MERGE, POST, "
                       "OPTIONS, PUT, PATCH.");
    }
    for (const auto* list : {&rule.allowed_origins, &rule.allowed_headers, &rule.exposed_headers})
      for (const auto& item : *list)
        check(item.size() <= kMaxName, "A CORS origin or header is longer than 256 characters.");
    char* end = nullptr;
    long seconds = std::strtol(age.c_str(), &end, 10);
    check(!age.empty() && *end == '\0' && seconds >= 0 && seconds <= 2147483647L,
          "MaxAgeInSeconds must be a whole number of seconds.");
    rule.max_age_seconds = int(seconds);
    rules.push_back(std::move(rule));
  }
  check(rules.size() <= kMaxRules, "At most five CorsRule elements are allowed.");
  return rules;
}

std::string cors_xml(const std::vector<CorsRule>& rules) {
  if (rules.empty()) return "<Cors />";
  std::string out = "<Cors>";
  for (const auto& r : rules) {
    out += "<CorsRule><AllowedOrigins>" + xml::escape(joined(r.allowed_origins)) +
           "</AllowedOrigins><AllowedMethods>" + joined(r.allowed_methods) +
           "</AllowedMethods><MaxAgeInSeconds>" + std::to_string(r.max_age_seconds) +
           "</MaxAgeInSeconds><ExposedHeaders>" + xml::escape(joined(r.exposed_headers)) +
           "</ExposedHeaders><AllowedHeaders>" + xml::escape(joined(r.allowed_headers)) +
           "</AllowedHeaders></CorsRule>";
  }
  return out + "</Cors>";
}

const CorsRule* matching_rule(const std::vector<CorsRule>& rules, std::string_view origin,
                              std::string_view method,
                              const std::vector<std::string>& request_headers) {
  for (const auto& rule : rules) {
    if (!origin_allowed(rule, origin)) continue;
    bool method_ok = false;
    for (const auto& m : rule.allowed_methods) method_ok = method_ok || str::iequals(m, method);
    if (!method_ok) continue;
    bool headers_ok = true;
    for (const auto& h : request_headers)
      headers_ok = headers_ok && header_allowed(rule.allowed_headers, h);
    if (headers_ok) return &rule;
  }
  return nullptr;
}

void answer_preflight(const std::vector<CorsRule>& rules, const http::Request& request,
                      http::Response& res, std::string& log_cause) {
  std::string_view origin = request[bhttp::field::origin];
  std::string_view method = request[bhttp::field::access_control_request_method];
  if (origin.empty() || method.empty()) {
    log_cause = "preflight without Origin or Access-Control-Request-Method";
    throw StorageError(400, "InvalidHeaderValue",
                       "A preflight request needs Origin and Access-Control-Request-Method.");
  }
  std::vector<std::string> headers =
      list_of(std::string(request[bhttp::field::access_control_request_headers]));
  const CorsRule* rule = matching_rule(rules, origin, method, headers);
  if (!rule) {
    log_cause =
        "no CORS rule allows origin " + std::string(origin) + " and method " + std::string(method);
    throw StorageError(403, "CorsPreflightFailure",
                       "CORS not enabled or no matching rule found for this request.");
  }
  bool any = allows_any_origin(*rule);
  res.set(bhttp::field::access_control_allow_origin, any ? std::string("*") : std::string(origin));
  if (!any) {
    res.set(bhttp::field::access_control_allow_credentials, "true");
    res.set(bhttp::field::vary, "Origin");
  }
  res.set(bhttp::field::access_control_allow_methods, method);
  if (!headers.empty()) res.set(bhttp::field::access_control_allow_headers, joined(headers));
  res.set(bhttp::field::access_control_max_age, std::to_string(rule->max_age_seconds));
}

void add_cors_headers(const std::vector<CorsRule>& rules, const http::Request& request,
                      http::Response& response) {
  std::string_view origin = request[bhttp::field::origin];
  if (origin.empty() || rules.empty()) return;
  const CorsRule* rule = matching_rule(rules, origin, request.method_string());
  if (!rule) return;
  bool any = allows_any_origin(*rule);
  response.set(bhttp::field::access_control_allow_origin,
               any ? std::string("*") : std::string(origin));
  if (!any) {
    response.set(bhttp::field::access_control_allow_credentials, "true");
    response.set(bhttp::field::vary, "Origin");
  }
  // The response's own headers that the rule exposes ("x-ms-meta-*" names each one).
  std::vector<std::string> exposed;
  for (const auto& field : response)
    if (header_allowed(rule->exposed_headers, field.name_string()))
      exposed.emplace_back(field.name_string());
  if (!exposed.empty()) response.set(bhttp::field::access_control_expose_headers, joined(exposed));
}

}  // namespace twin::blob
