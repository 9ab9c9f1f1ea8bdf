// The Blob service's XML documents: listings, block lists and signed identifiers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "blob/meta_store.h"
#include "blob/records.h"

namespace twin::blob::xmlfmt {

struct ListContainersArgs {
  std::string service_endpoint, prefix, marker, next_marker;
  size_t max_results = 0;
  bool include_metadata = false;
};
std::string list_containers(const ListContainersArgs& args,
                            const std::vector<ContainerRecord>& containers);

struct ListBlobsArgs {
  std::string service_endpoint, container, prefix, marker, delimiter;
  size_t max_results = 0;
  bool include_metadata = false, include_copy = false;
};
std::string list_blobs(const ListBlobsArgs& args, const ListPage& page);

enum class BlockListKind { committed, uncommitted, latest };
struct BlockListEntry {
  BlockListKind kind;
  std::string id;
};
// Throws StorageError (InvalidXmlDocument) on a malformed document.
std::vector<BlockListEntry> parse_block_list(const std::string& body);

struct BlockSize {
  std::string id;
  uint64_t size;
};
std::string block_list(const std::vector<BlockSize>* committed,
                       const std::vector<BlockSize>* uncommitted);

std::vector<AccessPolicy> parse_signed_identifiers(const std::string& body);
std::string signed_identifiers(const std::vector<AccessPolicy>& acl);

}  // namespace twin::blob::xmlfmt
