// An owned file descriptor, shared by the responses that stream from it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace twin::http {

class File {
 public:
  explicit File(int fd) : fd_(fd) {}
  ~File();
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  int fd() const { return fd_; }
  // Opens for reading; nullptr when the file cannot be opened (errno is kept).
  static std::shared_ptr<File> open_read(const std::string& path);
  // An anonymous file in memory (memfd) holding bytes, so that responses can sendfile(2) from
  // it; nullptr when it cannot be made (errno is kept).
  static std::shared_ptr<File> in_memory(std::string_view bytes);
  // The same as an unnamed file in a directory (O_TMPFILE): on disk, gone with its last user.
  static std::shared_ptr<File> in_directory(const std::string& directory, std::string_view bytes);

 private:
  int fd_;
};

// A byte range of an open file.
struct FileSpan {
  std::shared_ptr<File> file;
  uint64_t offset = 0;
  uint64_t length = 0;
};

// Writes the whole buffer, retrying short writes; false on error (errno kept).
bool write_all(int fd, const void* data, size_t size);

// Starts writeback of what was written since *started once 8 MiB have gathered, so that the final
// fsync of a large file waits for the tail only.
void start_writeback(int fd, uint64_t written, uint64_t& started);

}  // namespace twin::http
