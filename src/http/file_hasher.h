// MD5 of a file computed on a helper thread while another thread is still appending to it. The
// bytes are read back from the page cache, so hashing overlaps the network receive instead of
// adding to it (MD5 runs at under 1 GB/s on one core, slower than loopback and disk here).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace twin::http {

class FileHasher {
 public:
  // Reads through its own descriptor of the file open for writing as fd.
  explicit FileHasher(int fd);
  ~FileHasher();
  FileHasher(const FileHasher&) = delete;
  FileHasher& operator=(const FileHasher&) = delete;
  // The writer has made bytes [0, written) available.
  void advance(uint64_t written);
  // Waits for the hash of bytes [0, total); raw 16 bytes. Throws on a read error.
  std::string finish(uint64_t total);

 private:
  void run();
  int fd_ = -1;
  std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t available_ = 0, hashed_ = 0, total_ = UINT64_MAX;
  bool failed_ = false, stop_ = false;
  std::string digest_;
  std::thread thread_;
};

}  // namespace twin::http
