#include "http/target.h"

#include "common/strings.h"

namespace twin::http {

Target::Target(std::string_view target) {
  auto q = target.find('?');
  raw_path_ = std::string(target.substr(0, q));
  if (q == std::string_view::npos) return;
  for (auto part : str::split(target.substr(q + 1), '&')) {
    if (part.empty()) continue;
    auto eq = part.find('=');
    std::string_view name = part.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    // '+' means a space in form encoding, as Azure and the Go SDK read it.
    params_.push_back({str::percent_decode(name, true), str::percent_decode(value, true)});
  }
}

std::string Target::decoded_path() const {
  return str::percent_decode(raw_path_);
}

std::optional<std::string> Target::param(std::string_view name) const {
  for (const auto& p : params_)
    if (str::iequals(p.name, name)) return p.value;
  return std::nullopt;
}

std::string Target::param_or(std::string_view name, std::string fallback) const {
  auto v = param(name);
  return v ? *v : fallback;
}

}  // namespace twin::http
