#include "http/file_hasher.h"

#include <fcntl.h>
#include <unistd.h>

#include <memory>
#include <stdexcept>

#include "common/crypto.h"

namespace twin::http {

FileHasher::FileHasher(int fd) {
  fd_ = ::open(("/proc/self/fd/" + std::to_string(fd)).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error("cannot reopen a file for hashing");
  thread_ = std::thread([this] { run(); });
}

FileHasher::~FileHasher() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
  ::close(fd_);
}

void FileHasher::advance(uint64_t written) {
  {
    std::lock_guard lock(mutex_);
    available_ = written;
  }
  changed_.notify_all();
}

std::string FileHasher::finish(uint64_t total) {
  std::unique_lock lock(mutex_);
  available_ = total_ = total;
  changed_.notify_all();
  changed_.wait(lock, [&] { return failed_ || (hashed_ >= total_ && !digest_.empty()); });
  if (failed_) throw std::runtime_error("reading a file back for its MD5 failed");
  return digest_;
}

void FileHasher::run() {
  constexpr size_t kChunk = 1 << 20;
  auto buffer = std::unique_ptr<char[]>(new char[kChunk]);
  crypto::Md5 md5;
  uint64_t done = 0;
  while (true) {
    uint64_t until;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || available_ > done || done >= total_; });
      if (stop_) return;
      if (done >= total_) {
        hashed_ = done;
        digest_ = md5.finish();
        changed_.notify_all();
        return;
      }
      until = available_;
    }
    while (done < until) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(kChunk, until - done));
      ssize_t n = ::pread(fd_, buffer.get(), want, static_cast<off_t>(done));
      if (n <= 0) {
        std::lock_guard lock(mutex_);
        failed_ = true;
        changed_.notify_all();
        return;
      }
      md5.update(buffer.get(), static_cast<size_t>(n));
      done += static_cast<uint64_t>(n);
    }
  }
}

}  // namespace twin::http
