// The responses of the front's small JSON APIs (the dashboard's /front/api/, the demo's drill
// controller): a JSON body that is never cached, and one error shape,
// {"error": {"code": "…", "message": "…"}}, with the status.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "http/server.h"

namespace twin::http {

Response json_response(unsigned status, const nlohmann::json& body);
// A body already serialised (a status report built as text).
Response json_text_response(unsigned status, std::string body);
Response json_error(unsigned status, const std::string& code, const std::string& message);

}  // namespace twin::http
