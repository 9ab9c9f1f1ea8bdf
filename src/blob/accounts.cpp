#include "blob/accounts.h"

#include "common/crypto.h"

namespace twin::blob {

Accounts::Accounts(const std::vector<config::Account>& accounts) {
  for (const auto& a : accounts)
    for (const auto& k : a.keys) keys_[a.name].push_back(crypto::base64_decode(k).value_or(""));
}

const std::vector<std::string>& Accounts::keys(const std::string& name) const {
  static const std::vector<std::string> kNone;
  auto it = keys_.find(name);
  return it == keys_.end() ? kNone : it->second;
}

std::vector<std::string> Accounts::names() const {
  std::vector<std::string> out;
  for (const auto& [name, keys] : keys_) out.push_back(name);
  return out;
}

}  // namespace twin::blob
