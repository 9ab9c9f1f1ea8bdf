// The assets of every data center, one row per published asset: two assets are the same one when
// they share an origin locator Id (the walkthrough's replication creates B's locator with A's
// Id). A row is "only in A", "in both" or "differs" from the items `verify` compares without
// reading bytes: the files (names and sizes) and the locator (same Id, same expiry). The
// byte-for-byte comparison of blobs and streams is verify's own, run on request.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "dashboard/media_snapshot.h"

namespace twin::dashboard {

enum class Replication { only_in_one, in_both, differs };

struct AssetRow {
  std::string locator_id;  // the shared origin locator; empty for an unpublished asset
  std::map<std::string, AssetView> assets;  // by data center name (copies: rows outlive snapshots)
  Replication replication = Replication::only_in_one;
  std::string detail;  // "only in A", "in both", or the first difference
};

// Rows in the order of the first data center's assets, then the others' remaining ones.
std::vector<AssetRow> asset_rows(const std::vector<DataCenterSnapshot>& snapshots);
std::string to_string(Replication replication);  // "only-in-one", "in-both", "differs"

// What the media APIs show of two copies in a row (asset ids, file names and sizes, the
// locator's expiry): a new fingerprint means verify's last verdict on them is out of date.
std::string fingerprint(const AssetRow& row, const std::string& source, const std::string& target);

}  // namespace twin::dashboard
