#include "blob/data_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "common/ids.h"
#include "common/log.h"

namespace twin::blob {
namespace fs = std::filesystem;

TempFile::~TempFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!path_.empty()) ::unlink(path_.c_str());
}

DataFiles::DataFiles(std::string root, bool fsync) : root_(std::move(root)), fsync_(fsync) {
  fs::create_directories(root_ + "/tmp");
  fs::create_directories(root_ + "/blobs");
  packs_ =
      std::make_unique<PackWriter>([this](const std::string& id) { return path_of(id); }, fsync_);
}

DataFiles::~DataFiles() = default;

std::unique_ptr<PackedWrite> DataFiles::append_small(std::string_view bytes) {
  return packs_->append(bytes.data(), bytes.size());
}

std::unique_ptr<TempFile> DataFiles::create_temp() {
  std::string path = root_ + "/tmp/" + ids::new_hex_id();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  return std::make_unique<TempFile>(fd, path);
}

std::string DataFiles::commit(TempFile& temp) {
  if (fsync_ && ::fdatasync(temp.fd_) != 0)
    throw std::runtime_error("fsync " + temp.path_ + ": " + std::strerror(errno));
  ::close(temp.fd_);
  temp.fd_ = -1;
  std::string id = ids::new_hex_id();
  std::string target = path_of(id);
  std::error_code ec;
  fs::create_directories(fs::path(target).parent_path(), ec);
  if (::rename(temp.path_.c_str(), target.c_str()) != 0)
    throw std::runtime_error("rename to " + target + ": " + std::strerror(errno));
  temp.path_.clear();
  return id;
}

std::shared_ptr<http::File> DataFiles::open(const std::string& id) const {
  constexpr size_t kMaxOpenFiles = 512;
  {
    std::shared_lock lock(open_mutex_);
    auto it = open_files_.find(id);
    if (it != open_files_.end()) return it->second;
  }
  auto file = http::File::open_read(path_of(id));
  if (!file) return file;
  std::unique_lock lock(open_mutex_);
  if (open_files_.size() >= kMaxOpenFiles) open_files_.clear();  // crude, but bounded
  open_files_.emplace(id, file);
  return file;
}

std::vector<http::FileSpan> DataFiles::spans(const std::vector<Extent>& extents, uint64_t first,
                                             uint64_t length) const {
  std::vector<http::FileSpan> out;
  uint64_t pos = 0;
  for (const auto& e : extents) {
    uint64_t begin = std::max(first, pos), end = std::min(first + length, pos + e.length);
    if (begin < end) {
      auto file = open(e.file);
      if (!file) throw std::runtime_error("data file " + e.file + " is missing");
      out.push_back({file, e.offset + (begin - pos), end - begin});
    }
    pos += e.length;
  }
  return out;
}

void DataFiles::remove(const std::vector<std::string>& ids) const {
  {
    std::unique_lock lock(open_mutex_);
    for (const auto& id : ids) open_files_.erase(id);
  }
  for (const auto& id : ids)
    if (packs_->may_remove(id) && ::unlink(path_of(id).c_str()) != 0 && errno != ENOENT)
      log::warn("data_file_unlink_failed", {{"file", id}, {"error", std::strerror(errno)}});
}

size_t DataFiles::sweep(const std::vector<std::string>& referenced) const {
  std::set<std::string> keep(referenced.begin(), referenced.end());
  size_t removed = 0;
  for (const auto& entry : fs::directory_iterator(root_ + "/tmp")) {
    fs::remove(entry.path());
    ++removed;
  }
  for (const auto& dir : fs::directory_iterator(root_ + "/blobs")) {
    if (!dir.is_directory()) continue;
    for (const auto& entry : fs::directory_iterator(dir.path())) {
      if (keep.count(entry.path().filename().string())) continue;
      fs::remove(entry.path());
      ++removed;
    }
  }
  return removed;
}

std::string DataFiles::path_of(const std::string& id) const {
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      throw std::invalid_argument("not a data file id: " + id);
  if (id.size() < 8) throw std::invalid_argument("not a data file id: " + id);
  return root_ + "/blobs/" + id.substr(0, 2) + "/" + id;
}

}  // namespace twin::blob
