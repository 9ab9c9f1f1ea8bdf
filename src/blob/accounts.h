// The storage accounts a process serves, with their decoded keys.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/config.h"

namespace twin::blob {

class Accounts {
 public:
  explicit Accounts(const std::vector<config::Account>& accounts);
  bool has(const std::string& name) const { return keys_.count(name) > 0; }
  // Raw key bytes, key1 first; empty for an unknown account.
  const std::vector<std::string>& keys(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, std::vector<std::string>> keys_;
};

}  // namespace twin::blob
