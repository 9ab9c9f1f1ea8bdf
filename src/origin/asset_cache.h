// Published assets as the origin holds them: the .ism read from the asset's container, every MP4
// it lists parsed once into a sample index, the packaging plan, and the manifests built from it,
// in an LRU cache bounded by the number of samples indexed. An entry is checked against the blobs'
// ETags at most once a second, so a replaced file is noticed.
#pragma once

#include <atomic>
#include <chrono>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "blob/backend.h"
#include "http/file.h"
#include "mp4/fragment.h"
#include "origin/asset_error.h"
#include "package/presentation.h"

namespace twin::origin {

struct AssetFile {
  std::vector<blob::Extent> extents;
  std::string etag;
  std::string md5;  // raw, may be empty
};

// A response body the origin builds once per asset: a manifest, a playlist, an init segment or
// a fragment's header with the byte ranges of its samples, and its ETag.
struct Built {
  std::string text;
  std::vector<http::FileSpan> spans;  // after text: the samples, in the blob's data files
  std::string etag;
  std::shared_ptr<const std::string> fields;  // the response's header fields, serialized once
};

struct Asset {
  int64_t container_id = 0;
  size_t samples = 0;  // in every sample index it holds: the cache's measure of its memory
  package::Presentation presentation;
  std::map<std::string, AssetFile> files;  // by name, the .ism included
  timefmt::Instant last_modified{};        // the latest of its files
  std::string last_modified_text;          // as the Last-Modified header writes it
  std::atomic<int64_t> checked_ms{0};      // steady clock, when the blobs were last compared

  // Built once, then shared by every request for the same key.
  std::shared_ptr<const Built> built(const std::string& key,
                                     const std::function<Built()>& build) const;

 private:
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::shared_ptr<const Built>> built_;
};

class AssetCache {
 public:
  // Holds at most max_samples sample records (32 bytes each: 8 M ≈ 256 MiB) over all its assets,
  // the least recently used leaving first; the newest asset always stays.
  AssetCache(blob::Backend& backend, size_t max_samples = 8u << 20);

  // Throws AssetError.
  std::shared_ptr<const Asset> get(const std::string& account, const std::string& container,
                                   const std::string& ism_name);

 private:
  std::shared_ptr<Asset> load(int64_t container_id, const std::string& ism_name);
  void insert(const std::string& key, std::shared_ptr<Asset> asset);
  bool unchanged(const Asset& asset, int64_t container_id);

  blob::Backend& backend_;
  size_t max_samples_;
  size_t samples_ = 0;
  std::mutex mutex_;
  std::list<std::pair<std::string, std::shared_ptr<Asset>>> lru_;  // most recent first
  std::unordered_map<std::string, decltype(lru_)::iterator> index_;
};

}  // namespace twin::origin
