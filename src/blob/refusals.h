// What the Blob service accepts on the wire but does not do: snapshots and versions, tags,
// tiers, leases, customer-provided encryption, CRC64, source conditions, and conditional headers
// on operations that do not evaluate them. Each is refused with the error the service gives
// where the feature is missing, so that no client is told something happened when it did not.
// The list is in docs/storage-api.md ("Refused").
#pragma once

#include "blob/call.h"

namespace twin::blob {

// Throws StorageError for the first request header or query parameter this service does not
// honour on call.op; returns when there is none.
void refuse_unhonoured(const Call& call);

// Whether a URL's query names a snapshot or a version (which never exist here).
bool names_snapshot_or_version(const http::Target& target);

}  // namespace twin::blob
