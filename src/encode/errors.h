// An encode that cannot be done, with a message naming the cause (for the CLI and job errors).
#pragma once

#include <stdexcept>

namespace twin::encode {

class EncodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace twin::encode
