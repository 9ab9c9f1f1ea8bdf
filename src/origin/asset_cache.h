// Published assets as the origin holds them: the .ism read from the asset's container, every MP4
// it lists parsed once into a sample index, the packaging plan, and the manifests built from it,
// in a bounded LRU cache. An entry is checked against the blobs' ETags at most once a second,
// so a replaced file is noticed.
#pragma once

#include <chrono>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "blob/backend.h"
#include "package/presentation.h"

namespace twin::origin {

// The asset cannot be served: status and message (404 missing, 415 cannot be packaged).
struct AssetError : std::runtime_error {
  AssetError(unsigned status, const std::string& message)
      : std::runtime_error(message), status(status) {}
  unsigned status;
};

struct AssetFile {
  std::vector<blob::Extent> extents;
  std::string etag;
  std::string md5;  // raw, may be empty
};

struct Asset {
  package::Presentation presentation;
  std::map<std::string, AssetFile> files;  // by name, the .ism included
  timefmt::Instant last_modified{};        // the latest of its files
  std::chrono::steady_clock::time_point checked;

  // Manifests by format name, built once.
  std::string manifest(const std::string& key, const std::function<std::string()>& build) const;

 private:
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::string> manifests_;
};

class AssetCache {
 public:
  AssetCache(blob::Backend& backend, size_t capacity = 64);

  // Throws AssetError.
  std::shared_ptr<const Asset> get(const std::string& account, const std::string& container,
                                   const std::string& ism_name);

 private:
  std::shared_ptr<Asset> load(int64_t container_id, const std::string& ism_name);
  bool unchanged(const Asset& asset, int64_t container_id);

  blob::Backend& backend_;
  size_t capacity_;
  std::mutex mutex_;
  std::list<std::pair<std::string, std::shared_ptr<Asset>>> lru_;  // most recent first
};

}  // namespace twin::origin
