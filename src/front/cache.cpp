#include "front/cache.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/strings.h"
#include "common/time.h"
#include "http/conditions.h"
#include "http/range.h"

namespace twin::front {

size_t CachedObject::bytes() const {
  size_t n = length() + etag.size() + last_modified.size() + served_by.size() + 64;
  for (const auto& [name, value] : headers) n += name.size() + value.size() + 32;
  return n;
}

std::optional<Scheduler::Duration> freshness(std::string_view cache_control) {
  std::optional<Scheduler::Duration> max_age;
  for (auto part : str::split(cache_control, ',')) {
    auto directive = str::trim(part);
    if (str::iequals(directive, "no-store") || str::iequals(directive, "private") ||
        str::iequals(directive, "no-cache"))
      return std::nullopt;
    if (directive.size() > 8 && str::iequals(directive.substr(0, 8), "max-age=")) {
      int64_t seconds = 0;
      auto digits = directive.substr(8);
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seconds);
      if (ec == std::errc() && end == digits.data() + digits.size() && seconds > 0)
        max_age = std::chrono::seconds(seconds);
    }
  }
  return max_age;
}

Cache::Cache(uint64_t max_bytes, const Scheduler& clock, uint64_t max_object_bytes)
    : clock_(clock),
      max_bytes_(max_bytes),
      max_object_bytes_(max_object_bytes ? max_object_bytes : max_bytes / 8) {}

Cache::Lookup Cache::lookup(const std::string& key, Ready on_ready) {
  std::lock_guard lock(mutex_);
  auto it = slots_.find(key);
  if (it != slots_.end() && clock_.now() < it->second.object->fresh_until) {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    ++stats_.hits;
    return {Role::hit, it->second.object};
  }
  ++stats_.misses;
  auto [waiters, first] = in_flight_.try_emplace(key);
  if (first) return {Role::leader, nullptr};
  waiters->second.push_back(std::move(on_ready));
  ++stats_.coalesced;
  return {Role::follower, nullptr};
}

Cache::Object Cache::fill(const std::string& key, CachedObject object,
                          std::string_view cache_control) {
  auto keep_for = object.status == 200 ? freshness(cache_control) : std::nullopt;
  if (keep_for) object.fresh_until = clock_.now() + *keep_for;
  auto shared = std::make_shared<const CachedObject>(std::move(object));
  std::vector<Ready> waiters;
  {
    std::lock_guard lock(mutex_);
    if (keep_for && shared->bytes() <= max_object_bytes_) store_locked(key, shared);
    waiters = take_waiters_locked(key);
  }
  for (auto& ready : waiters) ready(shared);
  return shared;
}

void Cache::fail(const std::string& key) {
  std::vector<Ready> waiters;
  {
    std::lock_guard lock(mutex_);
    waiters = take_waiters_locked(key);
  }
  for (auto& ready : waiters) ready(nullptr);
}

Cache::Object Cache::stale(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = slots_.find(key);
  if (it == slots_.end()) return nullptr;
  ++stats_.stale_served;
  return it->second.object;
}

CacheStats Cache::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Cache::store_locked(const std::string& key, Object object) {
  auto it = slots_.find(key);
  if (it != slots_.end()) {
    stats_.bytes -= it->second.object->bytes();
    lru_.erase(it->second.lru);
    slots_.erase(it);
    --stats_.objects;
  }
  lru_.push_front(key);
  stats_.bytes += object->bytes();
  ++stats_.objects;
  slots_.emplace(key, Slot{std::move(object), lru_.begin()});
  evict_locked();
}

void Cache::evict_locked() {
  while (stats_.bytes > max_bytes_ && !lru_.empty()) {
    auto it = slots_.find(lru_.back());
    stats_.bytes -= it->second.object->bytes();
    slots_.erase(it);
    lru_.pop_back();
    --stats_.objects;
    ++stats_.evictions;
  }
}

std::vector<Cache::Ready> Cache::take_waiters_locked(const std::string& key) {
  std::vector<Ready> waiters;
  auto it = in_flight_.find(key);
  if (it == in_flight_.end()) return waiters;
  waiters = std::move(it->second);
  in_flight_.erase(it);
  return waiters;
}

CachedAnswer answer_from(const CachedObject& object, const RequestConditions& request) {
  http::ConditionHeaders h{request.if_match, request.if_none_match, request.if_modified_since,
                           request.if_unmodified_since};
  auto modified = timefmt::parse_rfc1123(object.last_modified).value_or(timefmt::Instant{});
  auto precondition = http::evaluate(h, true, object.etag, modified, true);
  if (precondition == http::Precondition::not_modified) return {304, 0, 0};
  if (precondition == http::Precondition::failed) return {412, 0, 0};
  auto range = http::parse_range(request.range, object.length());
  if (range.result == http::RangeResult::unsatisfiable) return {416, 0, 0};
  if (range.result == http::RangeResult::ok) return {206, range.range.first, range.range.length};
  return {200, 0, object.length()};
}

}  // namespace twin::front
