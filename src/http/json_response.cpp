#include "http/json_response.h"

namespace twin::http {
namespace bhttp = boost::beast::http;

Response json_text_response(unsigned status, std::string body) {
  Response res{bhttp::status(status), 11};
  res.set(bhttp::field::content_type, "application/json");
  res.set(bhttp::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  if (!body.ends_with('\n')) body += '\n';
  res.body().text = std::move(body);
  res.prepare_payload();
  return res;
}

Response json_response(unsigned status, const nlohmann::json& body) {
  return json_text_response(status, body.dump());
}

Response json_error(unsigned status, const std::string& code, const std::string& message) {
  return json_response(status, {{"error", {{"code", code}, {"message", message}}}});
}

}  // namespace twin::http
