// One storage container seen from a client, through a container SAS (the walkthrough's SAS
// locators) or the account's Shared Key (the profile's storage key): blob properties with the
// copy state, Copy Blob, listing with MD5s, and the MD5 of a blob's bytes read back.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "blob/storage_client.h"  // StorageCallError
#include "http/client.h"

namespace twin::client {

enum class CopyState { none, pending, success, failed, aborted };

struct BlobProperties {
  bool exists = false;
  uint64_t size = 0;
  std::string md5;  // base64 Content-MD5; empty when the service keeps none (block lists)
  std::string etag;
  CopyState copy = CopyState::none;
  uint64_t copied = 0, copy_total = 0;  // x-ms-copy-progress
  std::string copy_description;
};

struct BlobListing {
  std::string name;
  uint64_t size = 0;
  std::string md5;
  CopyState copy = CopyState::none;
  uint64_t copied = 0;  // CopyProgress
  std::string copy_description;
};

class BlobContainer {
 public:
  // "http://host:port/account/container?sv=…&sig=…"
  static BlobContainer with_sas(const std::string& container_sas_url);
  // storage_url "http://host:port/account", the account and its base64 key.
  static BlobContainer with_shared_key(const std::string& storage_url, const std::string& account,
                                       const std::string& key_base64, const std::string& container);

  BlobProperties properties(const std::string& blob) const;  // a missing blob: exists false
  // Starts an async Copy Blob from source_url; returns the state the service answered.
  CopyState start_copy(const std::string& blob, const std::string& source_url) const;
  // Every blob with its copy state (include=copy): one call polls all the copies of a batch.
  std::vector<BlobListing> list() const;
  // Uploads a file: Put Blob up to 32 MiB, else 8 MiB blocks and Put Block List. progress
  // gets the bytes sent so far.
  void upload(const std::string& blob, const std::string& path, const std::string& content_type,
              const std::function<void(uint64_t)>& progress = {}) const;
  // The base64 MD5 of the blob's bytes, read through a streamed GET.
  std::string md5_of(const std::string& blob) const;
  std::string blob_url(const std::string& blob) const;  // without credentials
  // Set Blob Service Properties with this <Cors> element, on a container made with an empty
  // name (the account itself; Shared Key): lets pages of those origins use SAS URLs.
  void set_service_cors(const std::string& cors_xml) const;

 private:
  // A request signed (Shared Key) or carrying the SAS; extra headers are signed too.
  http::ClientRequest request(
      const std::string& method, const std::string& blob, const std::string& query,
      uint64_t body_size = 0,
      const std::vector<std::pair<std::string, std::string>>& extra = {}) const;

  std::string container_url_;  // without a query
  std::string sas_;            // "sv=…" or empty
  std::string account_, key_;  // Shared Key when key_ is set (raw bytes)
  http::Client http_;
};

CopyState copy_state_from(const std::string& header);
const char* copy_state_name(CopyState state);

}  // namespace twin::client
