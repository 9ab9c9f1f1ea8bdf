// What the Blob service keeps about containers, blobs and blocks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/time.h"

namespace twin::blob {

// Metadata keeps the case names were given in; lookups are case-insensitive.
using Metadata = std::vector<std::pair<std::string, std::string>>;

struct AccessPolicy {
  std::string id, start, expiry, permission;
};

struct ContainerRecord {
  int64_t id = 0;
  std::string account, name, etag;
  timefmt::Instant last_modified{};
  std::string public_access;  // "", "container" or "blob"
  Metadata metadata;
  std::vector<AccessPolicy> acl;
};

// A run of bytes of one data file; block_id is set when the run came from a committed block.
struct Extent {
  std::string file;
  uint64_t offset = 0;
  uint64_t length = 0;
  std::string block_id;
};

struct ContentProperties {
  std::string type = "application/octet-stream";
  std::string encoding, language, disposition, cache_control;
  std::string md5;  // raw 16 bytes, or empty
};

struct CopyState {
  std::string id, status, source, description;
  uint64_t copied = 0, total = 0;
  std::optional<timefmt::Instant> completed;
};

struct BlobRecord {
  int64_t id = 0;
  int64_t container_id = 0;
  std::string name;
  uint64_t size = 0;
  std::string etag;
  timefmt::Instant created{}, last_modified{};
  ContentProperties content;
  Metadata metadata;
  std::vector<Extent> extents;  // filled only when asked for
  std::optional<CopyState> copy;
};

struct BlockRecord {
  std::string block_id;
  uint64_t size = 0;
  std::string file;
  uint64_t offset = 0;
};

std::string new_etag();  // "0x8DE…", unquoted

}  // namespace twin::blob
