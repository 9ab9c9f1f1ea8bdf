#include "blob/pack_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "common/ids.h"
#include "http/file.h"

namespace twin::blob {

PackedWrite::~PackedWrite() {
  if (owner_) owner_->release(file_);
}

PackWriter::PackWriter(std::function<std::string(const std::string&)> path_of, bool fsync,
                       uint64_t pack_bytes)
    : path_of_(std::move(path_of)), fsync_(fsync), pack_bytes_(pack_bytes) {}

PackWriter::~PackWriter() {
  for (auto& [id, pack] : packs_)
    if (pack->fd >= 0) ::close(pack->fd);
}

std::shared_ptr<PackWriter::Pack> PackWriter::open_pack_locked() {
  auto it = packs_.find(current_);
  if (it != packs_.end() && it->second->end < pack_bytes_) return it->second;
  if (it != packs_.end()) it->second->sealed = true;
  std::string id = ids::new_hex_id();
  std::string path = path_of_(id);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) throw std::runtime_error("cannot create pack " + path + ": " + std::strerror(errno));
  auto pack = std::make_shared<Pack>();
  pack->fd = fd;
  packs_[id] = pack;
  current_ = id;
  return pack;
}

std::unique_ptr<PackedWrite> PackWriter::append(const char* data, size_t size) {
  std::shared_ptr<Pack> pack;
  std::string id;
  uint64_t offset;
  {
    std::lock_guard lock(mutex_);
    pack = open_pack_locked();
    id = current_;
    offset = pack->end;
    pack->end += size;
    pack->in_flight++;
  }
  auto handle = std::make_unique<PackedWrite>(this, id, offset, size);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::pwrite(pack->fd, data + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error(std::string("writing a pack: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  wait_durable(pack);
  return handle;
}

void PackWriter::wait_durable(const std::shared_ptr<Pack>& pack) {
  std::unique_lock lock(mutex_);
  uint64_t mine = ++pack->completed;  // counted only after our pwrite returned
  if (!fsync_) {
    pack->synced = pack->completed;
    return;
  }
  while (pack->synced < mine) {
    if (pack->syncing) {
      synced_.wait(lock);
      continue;
    }
    pack->syncing = true;
    uint64_t target = pack->completed;  // every write completed so far is covered
    lock.unlock();
    int rc = ::fdatasync(pack->fd);
    int err = errno;
    lock.lock();
    pack->syncing = false;
    if (rc == 0) pack->synced = std::max(pack->synced, target);
    synced_.notify_all();
    if (rc != 0) throw std::runtime_error(std::string("fsync of a pack: ") + std::strerror(err));
  }
}

void PackWriter::release(const std::string& file) {
  std::lock_guard lock(mutex_);
  auto it = packs_.find(file);
  if (it != packs_.end() && it->second->in_flight > 0) it->second->in_flight--;
}

bool PackWriter::may_remove(const std::string& file) {
  std::lock_guard lock(mutex_);
  auto it = packs_.find(file);
  if (it == packs_.end()) return true;
  if (!it->second->sealed || it->second->in_flight > 0) return false;
  ::close(it->second->fd);
  packs_.erase(it);
  return true;
}

}  // namespace twin::blob
