// What the Blob operations share: accounts, metadata, data files, the copy engine, and how this
// process is reached from outside.
#pragma once

#include <memory>
#include <string>

#include "blob/accounts.h"
#include "blob/data_files.h"
#include "blob/meta_store.h"

namespace twin::blob {

class CopyEngine;

struct Backend {
  Accounts accounts;
  MetaStore& meta;
  DataFiles& files;
  CopyEngine* copies = nullptr;
  std::string public_url;                     // "http://127.0.0.1:10000", no trailing slash
  std::vector<std::string> self_authorities;  // host:port forms that reach this process
};

}  // namespace twin::blob
