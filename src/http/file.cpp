#include "http/file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>

namespace twin::http {

File::~File() {
  if (fd_ >= 0) ::close(fd_);
}

std::shared_ptr<File> File::open_read(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  return std::make_shared<File>(fd);
}

std::shared_ptr<File> File::in_memory(std::string_view bytes) {
  int fd = ::memfd_create("twinorigin-cache", MFD_CLOEXEC);
  if (fd < 0) return nullptr;
  auto file = std::make_shared<File>(fd);
  if (!write_all(fd, bytes.data(), bytes.size())) return nullptr;
  return file;
}

std::shared_ptr<File> File::in_directory(const std::string& directory, std::string_view bytes) {
  int fd = ::open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) return nullptr;
  auto file = std::make_shared<File>(fd);
  if (!write_all(fd, bytes.data(), bytes.size())) return nullptr;
  return file;
}

bool write_all(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace twin::http

namespace twin::http {

void start_writeback(int fd, uint64_t written, uint64_t& started) {
  constexpr uint64_t kWindow = 8ull << 20;
  if (written - started < kWindow) return;
  ::sync_file_range(fd, static_cast<off_t>(started), static_cast<off_t>(written - started),
                    SYNC_FILE_RANGE_WRITE);
  started = written;
}

}  // namespace twin::http
