// A refused Media Services request: the HTTP status, a short code and the message sent in the
// OData error object (and logged as the request's cause).
#pragma once

#include <stdexcept>
#include <string>

namespace twin::media {

struct MediaError : std::runtime_error {
  MediaError(unsigned status, std::string code, const std::string& message)
      : std::runtime_error(message), status(status), code(std::move(code)) {}
  unsigned status;
  std::string code;
};

inline MediaError bad_request(const std::string& message) {
  return MediaError(400, "BadRequest", message);
}
inline MediaError not_found(const std::string& message) {
  return MediaError(404, "ResourceNotFound", message);
}
inline MediaError conflict(const std::string& message) {
  return MediaError(409, "Conflict", message);
}

}  // namespace twin::media
