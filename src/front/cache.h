// The CDN part of the front: responses kept by path and query, never by origin, so a failover
// finds the cache warm. Bounded by bytes, least recently used out first. Concurrent misses on
// one key make one origin request: the first caller leads (fetches, then fills or fails), the
// others wait for it. Freshness comes from the origin's Cache-Control (segments a year and
// immutable, manifests 2 s); an object past it is fetched again but kept, so that a manifest can
// still be served stale when every origin fails.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "front/scheduler.h"
#include "http/file.h"

namespace twin::front {

struct CachedObject {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // end-to-end headers as received
  // The body: in memory, or (the front's objects) in a memory file responses sendfile(2) from.
  std::string body;
  std::shared_ptr<http::File> file;
  uint64_t file_length = 0;
  uint64_t length() const { return file ? file_length : body.size(); }
  std::string etag;           // quoted, as sent; empty when the origin sent none
  std::string last_modified;  // RFC 1123, as sent
  std::string served_by;      // the origin that filled it
  Scheduler::TimePoint fresh_until{};
  size_t bytes() const;
};

// How long a response may be kept fresh, from its Cache-Control; nullopt when it must not be
// stored at all (no-store, private, no-cache, or no max-age).
std::optional<Scheduler::Duration> freshness(std::string_view cache_control);

struct CacheStats {
  uint64_t hits = 0, misses = 0, coalesced = 0, evictions = 0, stale_served = 0;
  uint64_t bytes = 0, objects = 0;
};

class Cache {
 public:
  using Object = std::shared_ptr<const CachedObject>;
  using Ready = std::function<void(Object)>;  // null when the leader failed

  // max_object_bytes: larger responses pass through without being kept, so that one of them
  // never empties the cache (default: an eighth of the whole).
  Cache(uint64_t max_bytes, const Scheduler& clock, uint64_t max_object_bytes = 0);

  enum class Role { hit, leader, follower };
  struct Lookup {
    Role role;
    Object object;  // set for a hit
  };
  // A fresh object is a hit. Otherwise the first caller for the key becomes its leader and must
  // call fill() or fail(); later callers are followers and get on_ready once the leader is done.
  Lookup lookup(const std::string& key, Ready on_ready);
  // The leader's response: kept when its Cache-Control allows and it fits; every follower gets
  // it either way. Returns what was handed out.
  Object fill(const std::string& key, CachedObject object, std::string_view cache_control);
  // The leader could not get a response: followers get null (and may ask stale()).
  void fail(const std::string& key);
  // The kept object for key, fresh or not (for when every origin fails), or null.
  Object stale(const std::string& key);

  CacheStats stats() const;
  uint64_t max_object_bytes() const { return max_object_bytes_; }

 private:
  struct Slot {
    Object object;
    std::list<std::string>::iterator lru;
  };
  void store_locked(const std::string& key, Object object);
  void evict_locked();
  std::vector<Ready> take_waiters_locked(const std::string& key);

  const Scheduler& clock_;
  uint64_t max_bytes_, max_object_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Slot> slots_;
  std::list<std::string> lru_;  // most recently used first
  std::unordered_map<std::string, std::vector<Ready>> in_flight_;
  CacheStats stats_;
};

// What a cached object answers to one request's Range and conditional headers.
struct CachedAnswer {
  unsigned status = 200;  // 200, 206, 304, 412 or 416
  uint64_t first = 0, length = 0;
};
struct RequestConditions {
  std::string_view range, if_match, if_none_match, if_modified_since, if_unmodified_since;
};
CachedAnswer answer_from(const CachedObject& object, const RequestConditions& request);

}  // namespace twin::front
