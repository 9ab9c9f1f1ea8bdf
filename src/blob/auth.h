// Decides whether a request may do what it asks: Shared Key, service SAS (with stored access
// policies), account SAS, or anonymous reads of public containers. Throws StorageError.
#pragma once

#include "blob/accounts.h"
#include "blob/call.h"
#include "blob/meta_store.h"

namespace twin::blob {

void authorize(Call& call, const Accounts& accounts, MetaStore& meta);

// Checks a SAS (already parsed into call.sas) for call.op on the call's resource; used for
// requests and for copy sources that resolve to this process.
void check_sas(Call& call, const Accounts& accounts, MetaStore& meta);

}  // namespace twin::blob
