// Cross-origin resource sharing for the Blob service, as Azure Storage does it: an account's
// rules are set with Set Blob Service Properties (<Cors><CorsRule>…), a browser's preflight
// (OPTIONS with Origin and Access-Control-Request-Method) is answered from them without
// authentication (200 with the Access-Control headers, 403 when no rule matches, 400 without
// the two headers), and an actual request with an Origin a rule allows gets the Access-Control
// headers on its response, success or error. CORS is not authorisation: the request still needs
// its SAS or Shared Key. The first rule that matches wins.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/server.h"

namespace twin::blob {

struct CorsRule {
  std::vector<std::string> allowed_origins;  // "*" or "http://host:port"
  std::vector<std::string> allowed_methods;  // upper case
  std::vector<std::string> allowed_headers;  // literal, "prefix*" or "*"
  std::vector<std::string> exposed_headers;
  int max_age_seconds = 0;
};

// The rules of a <Cors> element (the body of Set Blob Service Properties, or what Get returns);
// throws StorageError (400 InvalidXmlDocument) with the service's limits: five rules, the methods
// Azure allows, names of at most 256 characters.
std::vector<CorsRule> parse_cors(std::string_view cors_xml);
// "<Cors>…</Cors>" for Get Blob Service Properties.
std::string cors_xml(const std::vector<CorsRule>& rules);

// The rule that allows this origin, method and (for a preflight) request headers, or null.
const CorsRule* matching_rule(const std::vector<CorsRule>& rules, std::string_view origin,
                              std::string_view method,
                              const std::vector<std::string>& request_headers = {});

// Adds the preflight's Access-Control headers to response (a 200 the caller made), or throws
// StorageError: 400 without Origin or Access-Control-Request-Method, 403 when no rule allows it.
void answer_preflight(const std::vector<CorsRule>& rules, const http::Request& request,
                      http::Response& response, std::string& log_cause);
// Adds the Access-Control headers to an actual response when a rule allows the request.
void add_cors_headers(const std::vector<CorsRule>& rules, const http::Request& request,
                      http::Response& response);

}  // namespace twin::blob
