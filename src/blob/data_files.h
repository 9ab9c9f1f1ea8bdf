// Blob bytes on disk: immutable files named by random ids under <data>/blobs/xx/, written as a
// temp file, fsynced and renamed before any row points at them. No blob or container name
// ever becomes a path.
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "blob/pack_writer.h"
#include "blob/records.h"
#include "http/file.h"

namespace twin::blob {

class DataFiles;

// A file being written. Unless committed, it is removed when destroyed.
class TempFile {
 public:
  TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  int fd() const { return fd_; }

 private:
  friend class DataFiles;
  int fd_;
  std::string path_;
};

class DataFiles {
 public:
  DataFiles(std::string root, bool fsync);
  ~DataFiles();
  // Small bodies go into a shared pack file; see pack_writer.h.
  std::unique_ptr<PackedWrite> append_small(std::string_view bytes);
  std::unique_ptr<TempFile> create_temp();
  // Makes the temp file durable and immutable; returns its id. Throws on I/O errors.
  std::string commit(TempFile& temp);
  std::shared_ptr<http::File> open(const std::string& id) const;
  // The open file ranges holding bytes [first, first + length) of a blob made of these extents.
  // Throws std::runtime_error when a data file is missing.
  std::vector<http::FileSpan> spans(const std::vector<Extent>& extents, uint64_t first,
                                    uint64_t length) const;
  void remove(const std::vector<std::string>& ids) const;  // keeps packs still being written
  // Removes temp files and data files no row references (after a crash). Returns the count.
  size_t sweep(const std::vector<std::string>& referenced) const;

 private:
  std::string path_of(const std::string& id) const;
  std::string root_;
  bool fsync_;
  // Open descriptors of recently read files: pack files serve many small blobs, and an open()
  // plus close() per GET is a large share of a small read. Files are immutable, so any open
  // descriptor of a live id reads the right bytes.
  mutable std::shared_mutex open_mutex_;  // readers share it: a hit never waits
  mutable std::unordered_map<std::string, std::shared_ptr<http::File>> open_files_;
  std::unique_ptr<PackWriter> packs_;
};

}  // namespace twin::blob
