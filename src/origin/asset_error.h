// Why a published asset cannot be served.
#pragma once

#include <stdexcept>
#include <string>

namespace twin::origin {

// The asset cannot be served: status and message (404 missing, 415 cannot be packaged).
struct AssetError : std::runtime_error {
  AssetError(unsigned status, const std::string& message)
      : std::runtime_error(message), status(status) {}
  unsigned status;
};

}  // namespace twin::origin
