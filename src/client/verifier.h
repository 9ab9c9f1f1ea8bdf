// `verify`: whether an asset published in A is replicated in B, compared item by item: every
// blob's size and MD5 on both sides, the file entities, the locator (same Id, same times), and
// every streaming URL through the two origins, byte for byte: each manifest format, every
// playlist and every segment it lists.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "client/replicator.h"

namespace twin::client {

struct Check {
  std::string item;  // "blobs", "files", "locator", "hls (m3u8-aapl)", …
  bool same = false;
  std::string detail;  // what was compared, or the first difference
  // Not the same because a side did not answer (no connection, a 5xx): a failed read, not a
  // difference found; asking again later may settle it.
  bool inconclusive = false;
};

struct Verification {
  std::string locator, source_asset, target_asset;
  std::vector<Check> checks;
  bool same() const;
  bool inconclusive() const;  // not the same, but only because a side did not answer
};

class Verifier {
 public:
  Verifier(DataCenter a, DataCenter b, std::function<void(const std::string&)> progress = {});
  Verification verify_locator(const std::string& locator_id);
  std::vector<Verification> verify_asset(const std::string& asset_id);
  std::vector<Verification> verify_all();

 private:
  Check compare_blobs(const Asset& source, const Asset& target);
  Check compare_files(const std::string& source_id, const std::string& target_id);
  std::vector<Check> compare_streams(const Locator& a, const Locator& b, const std::string& ism);

  DataCenter a_, b_;
  std::function<void(const std::string&)> progress_;
};

}  // namespace twin::client
