#include "blob/copy_engine.h"

#include <boost/url/parse.hpp>
#include <chrono>
#include <pugixml.hpp>

#include "blob/auth.h"
#include "blob/errors.h"
#include "blob/names.h"
#include "blob/refusals.h"
#include "common/crypto.h"
#include "common/log.h"
#include "common/strings.h"
#include "http/client.h"
#include "store/sqlite.h"

namespace twin::blob {
namespace bhttp = boost::beast::http;

namespace {
constexpr auto kProgressInterval = std::chrono::milliseconds(500);

constexpr const char* kCannotVerify = "Could not verify the copy source within the specified time.";

// The status mirrors the source's; the message is the source's own when it is known.
StorageError cannot_verify(unsigned status, const std::string& code,
                           const std::string& message = kCannotVerify) {
  return StorageError(status == 0 ? 404 : status, "CannotVerifyCopySource", message,
                      {{"CopySourceStatusCode", std::to_string(status)},
                       {"CopySourceErrorCode", code},
                       {"CopySourceErrorMessage", message}});
}

StorageError cannot_verify(const StorageError& source_error) {
  return cannot_verify(source_error.status(), source_error.code(), source_error.message());
}

// A HEAD error has no body: ask once more with a GET of one byte for the source's own message
// (the first line of its <Message>), so the caller learns why as from a local source.
std::string remote_error_message(http::Client& client, const std::string& url) {
  try {
    auto res = client.send(
        {"GET", url, {{"x-ms-version", "2021-10-04"}, {"x-ms-range", "bytes=0-0"}}, ""});
    pugi::xml_document doc;
    if (res.status >= 400 && doc.load_string(res.body.c_str())) {
      std::string message = doc.child("Error").child_value("Message");
      message = message.substr(0, message.find('\n'));
      if (!message.empty()) return message;
    }
  } catch (const http::ClientError&) {
  }
  return kCannotVerify;
}

// Whether the source must carry its own authorisation: always across accounts and whenever
// the URL has a SAS; within the account only a Shared Key caller may name a bare source, as
// the service allows (a destination SAS grants nothing on other blobs).
bool source_needs_authorization(const Call& source, const Call& destination) {
  return source.account != destination.account || source.target.param("sig").has_value() ||
         destination.auth != AuthKind::shared_key;
}

ContentProperties content_from(const http::ClientResponse& r) {
  ContentProperties c;
  c.type = r.header("content-type");
  c.encoding = r.header("content-encoding");
  c.language = r.header("content-language");
  c.disposition = r.header("content-disposition");
  c.cache_control = r.header("cache-control");
  std::string md5 = r.header("x-ms-blob-content-md5");
  if (md5.empty()) md5 = r.header("content-md5");
  c.md5 = crypto::base64_decode(md5).value_or("");
  return c;
}

Metadata metadata_from(const http::ClientResponse& r) {
  Metadata m;
  for (const auto& [name, value] : r.headers)
    if (str::istarts_with(name, "x-ms-meta-")) m.emplace_back(name.substr(10), value);
  return m;
}

// Copies bytes into a temp file, with a running MD5 when asked to, hashed inline: a copy worker
// has nothing else to do meanwhile. (Hashing on a helper thread, as uploads do, read every byte
// back from the page cache.) MD5 runs at about 440 MB/s on one core here: for a 68.6 MiB ladder
// copied between two processes on this 2-core machine, B used 0.30 s of CPU hashing and 0.11 s
// without, and the copy took 0.235 s against 0.13 s.
class FileSink {
 public:
  explicit FileSink(DataFiles& files, bool hash = true) : temp_(files.create_temp()), hash_(hash) {}
  void hash(bool on) { hash_ = on; }  // before the first write
  bool hashed() const { return hash_; }
  bool write(const char* data, size_t size) {
    if (hash_) md5_.update(data, size);
    if (!http::write_all(temp_->fd(), data, size))
      throw std::runtime_error(std::string("writing the copy: ") + std::strerror(errno));
    written_ += size;
    http::start_writeback(temp_->fd(), written_, writeback_started_);
    return true;
  }
  uint64_t written() const { return written_; }
  std::string md5() { return md5_.finish(); }
  TempFile& temp() { return *temp_; }

 private:
  std::unique_ptr<TempFile> temp_;
  bool hash_;
  crypto::Md5 md5_;
  uint64_t written_ = 0;
  uint64_t writeback_started_ = 0;
};

void copy_local_spans(const std::vector<http::FileSpan>& spans, FileSink& sink) {
  std::string buf(256 * 1024, '\0');
  for (const auto& s : spans) {
    uint64_t done = 0;
    while (done < s.length) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), s.length - done));
      ssize_t n = ::pread(s.file->fd(), buf.data(), want, static_cast<off_t>(s.offset + done));
      if (n <= 0) throw std::runtime_error("short read of a local copy source");
      sink.write(buf.data(), static_cast<size_t>(n));
      done += static_cast<uint64_t>(n);
    }
  }
}

std::string range_header(const http::ByteRange& r) {
  return "bytes=" + std::to_string(r.first) + "-" + std::to_string(r.first + r.length - 1);
}
}  // namespace

CopyEngine::CopyEngine(Backend& backend, unsigned workers, bool verify_md5)
    : backend_(backend), worker_count_(std::max(1u, workers)), verify_md5_(verify_md5) {}

CopyEngine::~CopyEngine() {
  stop();
}

void CopyEngine::start() {
  for (const auto& pending : backend_.meta.pending_copies()) {
    log::info("copy_resumed", {{"copy_id", pending.copy.id}});
    enqueue(pending.blob_id, pending.copy);
  }
  for (unsigned i = 0; i < worker_count_; ++i) workers_.emplace_back([this] { worker(); });
}

void CopyEngine::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

CopySource CopyEngine::resolve(const std::string& url, const Call& destination) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "http" || parsed->encoded_host().empty())
    throw errors::invalid_header("x-ms-copy-source", url);
  CopySource source;
  source.url = url;
  std::string authority(parsed->encoded_host_and_port());
  bool local = false;
  for (const auto& a : backend_.self_authorities) local = local || str::iequals(a, authority);
  if (!local) {
    http::Client client(std::chrono::seconds(30));
    http::ClientResponse head;
    try {
      head = client.send({"HEAD", url, {{"x-ms-version", "2021-10-04"}}, ""});
    } catch (const http::ClientError& e) {
      throw cannot_verify(0, "", e.what());
    }
    if (head.status != 200)
      throw cannot_verify(head.status, head.header("x-ms-error-code"),
                          remote_error_message(client, url));
    source.size = std::stoull("0" + head.header("content-length"));
    source.content = content_from(head);
    source.metadata = metadata_from(head);
    return source;
  }
  // A source served by this process: authorise it as the GET it stands for.
  std::string target(parsed->encoded_path());
  if (parsed->has_query()) target += "?" + std::string(parsed->encoded_query());
  http::Request request{bhttp::verb::get, target, 11};
  http::Exchange exchange{
      request, destination.exchange.remote_address, destination.exchange.request_id, nullptr, {},
      {}};
  Call src(exchange);
  src.now = destination.now;
  std::string path = src.target.decoded_path();
  auto first = path.find('/', 1),
       second = first == std::string::npos ? first : path.find('/', first + 1);
  if (second == std::string::npos) throw cannot_verify(errors::resource_not_found());
  src.account = path.substr(1, first - 1);
  src.container = path.substr(first + 1, second - first - 1);
  src.blob = names::normalized_blob(path.substr(second + 1));
  src.level = Level::blob;
  src.op = Op::get_blob;
  if (!backend_.accounts.has(src.account)) throw cannot_verify(errors::resource_not_found());
  if (source_needs_authorization(src, destination)) {
    try {
      authorize(src, backend_.accounts, backend_.meta);
    } catch (const StorageError& e) {
      destination.exchange.log_cause =
          "copy source not authorized: " +
          (src.exchange.log_cause.empty() ? e.code() : src.exchange.log_cause);
      throw cannot_verify(e);
    }
  }
  // Snapshots and versions never exist here: a source naming one is not found.
  if (names_snapshot_or_version(src.target)) throw cannot_verify(errors::blob_not_found());
  auto container = backend_.meta.container(src.account, src.container);
  if (!container) throw cannot_verify(errors::container_not_found());
  auto blob = backend_.meta.blob(container->id, src.blob, true);
  if (!blob) throw cannot_verify(errors::blob_not_found());
  if (blob->copy && blob->copy->status == "pending")
    throw cannot_verify(409, "PendingCopyOperation",
                        "There is currently a pending copy operation.");
  source.local = true;
  source.size = blob->size;
  source.content = blob->content;
  source.metadata = blob->metadata;
  source.blob = std::move(blob);
  return source;
}

FetchedData CopyEngine::fetch(const std::string& url, std::optional<http::ByteRange> range,
                              const Call& destination) {
  return fetch(resolve(url, destination), range);
}

FetchedData CopyEngine::fetch(const CopySource& source, std::optional<http::ByteRange> range) {
  // A range (Put Block From URL) answers its own MD5; a whole blob inherits the source's.
  FileSink sink(backend_.files, range || verify_md5_ || source.content.md5.empty());
  FetchedData out;
  out.content = source.content;
  out.metadata = source.metadata;
  if (source.local) {
    uint64_t first = range ? range->first : 0;
    if (range && first >= source.size) throw errors::invalid_range();
    uint64_t length = range ? std::min(range->length, source.size - first) : source.size;
    copy_local_spans(backend_.files.spans(source.blob->extents, first, length), sink);
  } else {
    http::ClientRequest req{"GET", source.url, {{"x-ms-version", "2021-10-04"}}, ""};
    if (range) req.headers.emplace_back("x-ms-range", range_header(*range));
    http::ClientResponse res;
    try {
      res = http::Client(std::chrono::seconds(30)).send(req, [&](const char* d, size_t n) {
        return sink.write(d, n);
      });
    } catch (const http::ClientError& e) {
      throw cannot_verify(0, "", e.what());
    }
    if (res.status != 200 && res.status != 206)
      throw cannot_verify(res.status, res.header("x-ms-error-code"));
  }
  out.size = sink.written();
  out.md5 = sink.hashed() ? sink.md5() : source.content.md5;
  if (!range && !source.content.md5.empty() && source.content.md5 != out.md5)
    throw StorageError(500, "CopySourceMd5Mismatch",
                       "The bytes read from the copy source do not match its Content-MD5.");
  if (!range && source.content.md5.empty()) out.content.md5 = out.md5;
  out.file = backend_.files.commit(sink.temp());
  return out;
}

void CopyEngine::enqueue(int64_t blob_id, const CopyState& copy) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({blob_id, copy});
  }
  wake_.notify_one();
}

void CopyEngine::abort(const std::string& copy_id) {
  std::lock_guard lock(mutex_);
  aborted_.insert(copy_id);
}

bool CopyEngine::is_aborted(const std::string& copy_id) {
  std::lock_guard lock(mutex_);
  return stopping_ || aborted_.count(copy_id) > 0;
}

void CopyEngine::worker() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = queue_.front();
      queue_.pop_front();
    }
    run(job);
  }
}

void CopyEngine::run(const Job& job) {
  FileSink sink(backend_.files);
  auto decide_hashing = [&](const http::ClientResponse& head) {
    sink.hash(verify_md5_ || content_from(head).md5.empty());
  };
  CopyState progress = job.copy;
  auto last_report = std::chrono::steady_clock::now();
  std::string failure;
  http::ClientResponse res;
  try {
    res = http::Client(std::chrono::seconds(30))
              .send(
                  {"GET", job.copy.source, {{"x-ms-version", "2021-10-04"}}, ""},
                  [&](const char* d, size_t n) {
                    if (is_aborted(job.copy.id)) return false;
                    sink.write(d, n);
                    auto now = std::chrono::steady_clock::now();
                    if (now - last_report >= kProgressInterval) {
                      last_report = now;
                      progress.copied = sink.written();
                      report_progress(job.blob_id, progress);
                    }
                    return true;
                  },
                  decide_hashing);
    if (res.status != 200)
      failure =
          "the source answered " + std::to_string(res.status) + " " + res.header("x-ms-error-code");
    else if (sink.written() != job.copy.total)
      failure = "the source sent " + std::to_string(sink.written()) + " bytes, expected " +
                std::to_string(job.copy.total);
  } catch (const std::exception& e) {
    failure = std::string("reading the source failed: ") + e.what();
  }
  if (is_aborted(job.copy.id)) {
    bool shutting_down;
    {
      std::lock_guard lock(mutex_);
      shutting_down = stopping_;
      aborted_.erase(job.copy.id);
    }
    // On shutdown the copy stays pending and resumes at the next start.
    if (shutting_down) log::info("copy_suspended", {{"copy_id", job.copy.id}});
    return;
  }
  if (!failure.empty()) {
    finish(job, std::nullopt, failure);
    return;
  }
  FetchedData data;
  data.size = sink.written();
  data.content = content_from(res);
  data.md5 = sink.hashed() ? sink.md5() : data.content.md5;
  data.metadata = metadata_from(res);
  if (!data.content.md5.empty() && data.content.md5 != data.md5) {
    finish(job, std::nullopt, "the bytes read do not match the source's Content-MD5");
    return;
  }
  if (data.content.md5.empty()) data.content.md5 = data.md5;
  try {
    data.file = backend_.files.commit(sink.temp());
  } catch (const std::exception& e) {
    finish(job, std::nullopt, e.what());
    return;
  }
  finish(job, data, "");
}

// Records progress only while this copy is still the blob's pending one: the check and the write
// are one transaction, so an abort or overwrite in between is never undone.
void CopyEngine::report_progress(int64_t blob_id, const CopyState& progress) {
  store::Transaction tx(backend_.meta.db());
  auto current = backend_.meta.blob_by_id(blob_id);
  if (!current || !current->copy || current->copy->id != progress.id ||
      current->copy->status != "pending")
    return;
  backend_.meta.set_copy_state(blob_id, progress);
  tx.commit();
}

void CopyEngine::finish(const Job& job, const std::optional<FetchedData>& data,
                        const std::string& failure) {
  std::vector<std::string> dropped;
  {
    store::Transaction tx(backend_.meta.db());
    auto blob = backend_.meta.blob_by_id(job.blob_id);
    if (!blob || !blob->copy || blob->copy->id != job.copy.id || blob->copy->status != "pending") {
      // The destination was overwritten, deleted or aborted meanwhile: drop what we fetched.
      if (data) backend_.files.remove({data->file});
      return;
    }
    CopyState copy = *blob->copy;
    copy.completed = timefmt::now();
    blob->last_modified = *copy.completed;
    blob->etag = new_etag();
    blob->extents.clear();
    if (data) {
      copy.status = "success";
      copy.copied = copy.total = data->size;
      blob->size = data->size;
      blob->content = data->content;
      if (blob->metadata.empty()) blob->metadata = data->metadata;
      if (data->size > 0) blob->extents.push_back({data->file, 0, data->size, ""});
    } else {
      copy.status = "failed";
      copy.description = "500 InternalError \"" + failure + "\"";
      blob->size = 0;
      blob->content.md5.clear();
    }
    blob->copy = copy;
    dropped = backend_.meta.put_blob(*blob, false);
    tx.commit();
  }
  backend_.files.remove(dropped);
  if (data)
    log::info("copy_succeeded", {{"copy_id", job.copy.id}, {"bytes", std::to_string(data->size)}});
  else
    log::warn("copy_failed", {{"copy_id", job.copy.id}, {"cause", failure}});
}

}  // namespace twin::blob
