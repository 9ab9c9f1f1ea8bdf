// Small blob bodies are appended to shared, append-only pack files instead of one file each:
// creating an inode and fsyncing it per 1 KiB blob costs far more than the write. Writers that
// arrive while a flush runs share the next one (group commit). A region, once written, never
// changes; a pack is deleted only when sealed, unreferenced and with no write still in flight.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace twin::blob {

class PackWriter;

// A durable region of a pack file. Keep it alive until the row that references it is committed.
class PackedWrite {
 public:
  PackedWrite(PackWriter* owner, std::string file, uint64_t offset, uint64_t length)
      : owner_(owner), file_(std::move(file)), offset_(offset), length_(length) {}
  ~PackedWrite();
  PackedWrite(const PackedWrite&) = delete;
  PackedWrite& operator=(const PackedWrite&) = delete;
  const std::string& file() const { return file_; }
  uint64_t offset() const { return offset_; }
  uint64_t length() const { return length_; }

 private:
  PackWriter* owner_;
  std::string file_;
  uint64_t offset_, length_;
};

class PackWriter {
 public:
  // path_of maps a new file id to its path; fsync off skips the flushes (tests, benchmarks).
  PackWriter(std::function<std::string(const std::string&)> path_of, bool fsync,
             uint64_t pack_bytes = 64ull << 20);
  ~PackWriter();
  // Appends and flushes; throws std::runtime_error on I/O errors.
  std::unique_ptr<PackedWrite> append(const char* data, size_t size);
  // Whether the file may be unlinked now (not a pack of this process still in use).
  bool may_remove(const std::string& file);

 private:
  friend class PackedWrite;
  struct Pack {
    int fd = -1;
    uint64_t end = 0;
    uint64_t in_flight = 0;
    bool sealed = false;
    // Group commit: writes completed vs. writes known durable.
    uint64_t completed = 0, synced = 0;
    bool syncing = false;
  };
  std::shared_ptr<Pack> open_pack_locked();
  void wait_durable(const std::shared_ptr<Pack>& pack);
  void release(const std::string& file);

  std::function<std::string(const std::string&)> path_of_;
  bool fsync_;
  uint64_t pack_bytes_;
  std::mutex mutex_;
  std::condition_variable synced_;
  std::string current_;
  std::map<std::string, std::shared_ptr<Pack>> packs_;
};

}  // namespace twin::blob
