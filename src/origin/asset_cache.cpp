#include "origin/asset_cache.h"

#include <unistd.h>

#include "common/log.h"
#include "mp4/movie.h"
#include "origin/ism_reader.h"

namespace twin::origin {
namespace {

constexpr auto kRecheck = std::chrono::milliseconds(1000);
constexpr uint64_t kMaxIsmSize = 1 << 20;
constexpr size_t kMaxBuiltPerAsset = 4096;  // about 6 MiB of headers and fields

void read_blob(blob::Backend& b, const AssetFile& f, uint64_t offset, uint8_t* out, size_t n) {
  for (const auto& span : b.files.spans(f.extents, offset, n)) {
    uint64_t done = 0;
    while (done < span.length) {
      ssize_t got = ::pread(span.file->fd(), out + done, span.length - done,
                            static_cast<off_t>(span.offset + done));
      if (got <= 0) throw mp4::FormatError("the file's data cannot be read");
      done += static_cast<uint64_t>(got);
    }
    out += span.length;
    n -= span.length;
  }
  if (n != 0) throw mp4::FormatError("read past the end of the file");
}

mp4::Track pick_track(mp4::Movie& movie, const IsmEntry& e) {
  auto kind = e.audio ? mp4::TrackKind::audio : mp4::TrackKind::video;
  for (auto& t : movie.tracks)
    if (t.kind == kind && (e.track_id == 0 || t.id == e.track_id)) return std::move(t);
  throw AssetError(415, e.src + " has no " + (e.audio ? "audio" : "video") + " track" +
                            (e.track_id ? " with id " + std::to_string(e.track_id) : ""));
}

}  // namespace

std::shared_ptr<const Built> Asset::built(const std::string& key,
                                          const std::function<Built()>& build) const {
  {
    std::lock_guard lock(mutex_);
    auto it = built_.find(key);
    if (it != built_.end()) return it->second;
  }
  auto made = std::make_shared<const Built>(build());  // outside the lock: may take a while
  std::lock_guard lock(mutex_);
  // Bounded (a long asset has thousands of fragments per format): past the bound, later objects
  // are built per request, which costs a few microseconds.
  if (built_.size() >= kMaxBuiltPerAsset) return made;
  return built_.emplace(key, made).first->second;
}

namespace {
int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

AssetCache::AssetCache(blob::Backend& backend, size_t max_samples)
    : backend_(backend), max_samples_(max_samples) {}

bool AssetCache::unchanged(const Asset& asset, int64_t container_id) {
  for (const auto& [name, file] : asset.files) {
    auto b = backend_.meta.blob(container_id, name);
    if (!b || b->etag != file.etag) return false;
  }
  return true;
}

std::shared_ptr<const Asset> AssetCache::get(const std::string& account,
                                             const std::string& container,
                                             const std::string& ism_name) {
  std::string key = account + "/" + container + "/" + ism_name;
  std::shared_ptr<Asset> cached;
  {
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      cached = it->second->second;
    }
  }
  int64_t now = steady_ms();
  if (cached && now - cached->checked_ms.load() < kRecheck.count()) return cached;
  // Once a second at most: is the container still there, are the files unchanged?
  auto c = backend_.meta.container(account, container);
  if (!c) throw AssetError(404, "the asset's container is missing");
  if (cached && cached->container_id == c->id && unchanged(*cached, c->id)) {
    cached->checked_ms = now;
    return cached;
  }
  std::shared_ptr<Asset> asset = load(c->id, ism_name);
  insert(key, asset);
  return asset;
}

void AssetCache::insert(const std::string& key, std::shared_ptr<Asset> asset) {
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    samples_ -= it->second->second->samples;
    lru_.erase(it->second);
    index_.erase(it);
  }
  samples_ += asset->samples;
  lru_.emplace_front(key, std::move(asset));
  index_[key] = lru_.begin();
  while (samples_ > max_samples_ && lru_.size() > 1) {
    samples_ -= lru_.back().second->samples;
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

std::shared_ptr<Asset> AssetCache::load(int64_t container_id, const std::string& ism_name) {
  auto asset = std::make_shared<Asset>();
  auto fetch = [&](const std::string& name) -> AssetFile& {
    auto b = backend_.meta.blob(container_id, name, true);
    if (!b) throw AssetError(404, "the asset has no file '" + name + "'");
    if (b->copy && b->copy->status == "pending")
      throw AssetError(404, "the file '" + name + "' is still being copied");
    asset->last_modified = std::max(asset->last_modified, b->last_modified);
    AssetFile& f = asset->files[name];
    f = {b->extents, b->etag, b->content.md5};
    return f;
  };
  AssetFile& ism = fetch(ism_name);
  uint64_t ism_size = 0;
  for (const auto& e : ism.extents) ism_size += e.length;
  if (ism_size > kMaxIsmSize) throw AssetError(415, ism_name + " is larger than 1 MiB");
  std::string text(ism_size, '\0');
  read_blob(backend_, ism, 0, reinterpret_cast<uint8_t*>(text.data()), text.size());
  std::vector<package::TrackSource> sources;
  for (const auto& entry : parse_ism(text, ism_name)) {
    AssetFile& f = fetch(entry.src);
    uint64_t size = 0;
    for (const auto& e : f.extents) size += e.length;
    mp4::Movie movie;
    try {
      movie = mp4::read_movie(
          [&](uint64_t offset, uint8_t* out, size_t n) { read_blob(backend_, f, offset, out, n); },
          size);
    } catch (const mp4::FormatError& e) {
      throw AssetError(415, entry.src + " cannot be read as an MP4: " + e.what());
    }
    mp4::Track track = pick_track(movie, entry);
    uint64_t bitrate = entry.bitrate;
    if (bitrate == 0 && track.duration() > 0)
      bitrate = size * 8 * track.timescale / track.duration();
    std::string name =
        entry.track_name.empty() ? (entry.audio ? "audio" : "video") : entry.track_name;
    sources.push_back({entry.src, name, bitrate, std::move(track)});
  }
  try {
    asset->presentation = package::build_presentation(std::move(sources));
  } catch (const package::PackagingError& e) {
    throw AssetError(415, std::string("the asset cannot be packaged: ") + e.what());
  }
  asset->container_id = container_id;
  for (const auto* group : {&asset->presentation.video, &asset->presentation.audio})
    for (const auto& r : *group) asset->samples += r.track.samples.size();
  asset->last_modified_text = timefmt::rfc1123(asset->last_modified);
  asset->checked_ms = steady_ms();
  log::info("asset indexed", {{"ism", ism_name},
                              {"video", std::to_string(asset->presentation.video.size())},
                              {"audio", std::to_string(asset->presentation.audio.size())}});
  return asset;
}

}  // namespace twin::origin
