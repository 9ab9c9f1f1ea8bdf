// The request target split into its raw path and its decoded query parameters.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace twin::http {

struct QueryParam {
  std::string name;   // as sent, decoded
  std::string value;  // decoded
};

class Target {
 public:
  explicit Target(std::string_view target);
  const std::string& raw_path() const { return raw_path_; }  // percent-encoded, as on the wire
  std::string decoded_path() const;
  const std::vector<QueryParam>& params() const { return params_; }
  // Case-insensitive; the first value.
  std::optional<std::string> param(std::string_view name) const;
  std::string param_or(std::string_view name, std::string fallback) const;
  bool has(std::string_view name) const { return param(name).has_value(); }

 private:
  std::string raw_path_;
  std::vector<QueryParam> params_;
};

}  // namespace twin::http
