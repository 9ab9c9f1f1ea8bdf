// A Blob REST client signed with Shared Key, for services that keep their data in a storage
// account (the media API's asset containers, its encoder jobs) and, later, the CLI. It speaks
// only the wire protocol, so the storage service may run in this process or another.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "blob/records.h"
#include "http/client.h"

namespace twin::blob {

// The service answered with an error: status and x-ms-error-code.
struct StorageCallError : std::runtime_error {
  StorageCallError(unsigned status, std::string code, const std::string& what)
      : std::runtime_error(what), status(status), code(std::move(code)) {}
  unsigned status;
  std::string code;
};

struct BlobEntry {
  std::string name;
  uint64_t size = 0;
};

class StorageClient {
 public:
  // base_url: the service root, "http://127.0.0.1:10000" (path-style account in the path).
  StorageClient(std::string base_url, std::string account, std::string key_base64);

  const std::string& account() const { return account_; }
  // "http://127.0.0.1:10000/devstoreaccount1/<container>"
  std::string container_url(const std::string& container) const;

  void create_container(const std::string& container);  // an existing one is fine
  void delete_container(const std::string& container);  // a missing one is fine
  std::vector<AccessPolicy> container_acl(const std::string& container);
  void set_container_acl(const std::string& container, const std::vector<AccessPolicy>& acl);
  std::vector<BlobEntry> list_blobs(const std::string& container);
  void download(const std::string& container, const std::string& blob, const std::string& path);
  // Put Blob up to 32 MiB, else 8 MiB blocks and a block list.
  void upload(const std::string& container, const std::string& blob, const std::string& path,
              const std::string& content_type);

  // A container SAS (sr=c) bound to the stored access policy `identifier`: "sv=…&sr=c&si=…&sig=…".
  std::string container_sas(const std::string& container, const std::string& identifier) const;

 private:
  http::ClientResponse call(http::ClientRequest request, const std::string& path_and_query,
                            std::initializer_list<unsigned> expected) const;
  void sign(http::ClientRequest& request, const std::string& path_and_query) const;
  void put_block_list(const std::string& url_path, const std::vector<std::string>& ids,
                      const std::string& content_type);

  std::string base_url_, account_, key_;
  http::Client client_;
};

}  // namespace twin::blob
