// Server-side copies. A source URL that reaches this process is read from local storage (after
// the same authorisation a GET would get); any other is fetched over HTTP, streaming into a new
// data file with a running MD5, so memory stays flat whatever the size. Async copies run on
// worker threads, report progress in the blob's copy state, can be aborted, and resume after a
// restart.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "blob/backend.h"
#include "blob/call.h"
#include "http/range.h"

namespace twin::blob {

struct CopySource {
  std::string url;
  bool local = false;
  std::optional<BlobRecord> blob;  // local sources: the record with its extents
  uint64_t size = 0;
  ContentProperties content;
  Metadata metadata;
};

struct FetchedData {
  std::string file;  // data file id, committed
  uint64_t size = 0;
  std::string md5;  // raw
  ContentProperties content;
  Metadata metadata;
};

class CopyEngine {
 public:
  // verify_md5: hash every copied blob and fail one whose bytes differ from the source's
  // Content-MD5; otherwise only sources without one (and ranges) are hashed.
  CopyEngine(Backend& backend, unsigned workers, bool verify_md5 = false);
  ~CopyEngine();
  void start();  // starts workers and resumes copies left pending by a previous run
  void stop();

  // Checks that the source exists and that the caller may read it; throws CannotVerifyCopySource
  // with the source's status otherwise.
  CopySource resolve(const std::string& url, const Call& destination);
  // Copies the source's bytes (or a range of them) into a new data file.
  FetchedData fetch(const std::string& url, std::optional<http::ByteRange> range,
                    const Call& destination);
  FetchedData fetch(const CopySource& source, std::optional<http::ByteRange> range);
  // Queues an async copy into the blob whose row already holds a pending copy state.
  void enqueue(int64_t blob_id, const CopyState& copy);
  // Marks the copy for cancellation; the caller records the aborted state.
  void abort(const std::string& copy_id);

 private:
  struct Job {
    int64_t blob_id;
    CopyState copy;
  };
  void worker();
  void run(const Job& job);
  bool is_aborted(const std::string& copy_id);
  void report_progress(int64_t blob_id, const CopyState& progress);
  void finish(const Job& job, const std::optional<FetchedData>& data, const std::string& failure);

  Backend& backend_;
  unsigned worker_count_;
  bool verify_md5_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  std::set<std::string> aborted_;
  std::vector<std::thread> workers_;
  bool stopping_ = false;
};

}  // namespace twin::blob
