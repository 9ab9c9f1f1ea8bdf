// Whole-blob operations: Put Blob, Get Blob, properties, metadata, delete.
#include "blob/errors.h"
#include "blob/ops.h"
#include "common/crypto.h"
#include "common/log.h"
#include "common/strings.h"
#include "http/conditions.h"
#include "http/range.h"
#include "store/sqlite.h"

namespace twin::blob::ops {
namespace {
constexpr uint64_t kMaxRangeMd5 = 4ull << 20;

void add_copy_headers(http::Response& res, const CopyState& copy) {
  res.set("x-ms-copy-id", copy.id);
  res.set("x-ms-copy-status", copy.status);
  res.set("x-ms-copy-source", copy.source);
  res.set("x-ms-copy-progress", std::to_string(copy.copied) + "/" + std::to_string(copy.total));
  if (copy.completed) res.set("x-ms-copy-completion-time", timefmt::rfc1123(*copy.completed));
  if (!copy.description.empty()) res.set("x-ms-copy-status-description", copy.description);
}

// The headers Get Blob and Get Blob Properties share.
void add_blob_headers(http::Response& res, const BlobRecord& blob, const Call& call) {
  res.set("ETag", quoted(blob.etag));
  res.set("Last-Modified", timefmt::rfc1123(blob.last_modified));
  res.set("x-ms-creation-time", timefmt::rfc1123(blob.created));
  res.set("Accept-Ranges", "bytes");
  res.set("x-ms-blob-type", "BlockBlob");
  res.set("x-ms-lease-status", "unlocked");
  res.set("x-ms-lease-state", "available");
  res.set("x-ms-server-encrypted", "true");
  const auto& c = blob.content;
  auto sas_or = [&](const std::string SasToken::*field, const std::string& stored) {
    if (call.sas && !((*call.sas).*field).empty()) return (*call.sas).*field;
    return stored;
  };
  std::string type = sas_or(&SasToken::rsct, c.type);
  if (!type.empty()) res.set("Content-Type", type);
  for (auto [name, field, stored] :
       {std::tuple{"Content-Encoding", &SasToken::rsce, &c.encoding},
        std::tuple{"Content-Language", &SasToken::rscl, &c.language},
        std::tuple{"Content-Disposition", &SasToken::rscd, &c.disposition},
        std::tuple{"Cache-Control", &SasToken::rscc, &c.cache_control}}) {
    std::string value = sas_or(field, *stored);
    if (!value.empty()) res.set(name, value);
  }
  add_metadata_headers(res, blob.metadata);
  if (blob.copy) add_copy_headers(res, *blob.copy);
}

void add_write_headers(http::Response& res, const BlobRecord& blob) {
  res.set("ETag", quoted(blob.etag));
  res.set("Last-Modified", timefmt::rfc1123(blob.last_modified));
  res.set("x-ms-request-server-encrypted", "true");
}

std::string md5_of_spans(const std::vector<http::FileSpan>& spans) {
  crypto::Md5 md5;
  std::string buf(64 * 1024, '\0');
  for (const auto& s : spans) {
    uint64_t done = 0;
    while (done < s.length) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), s.length - done));
      ssize_t n = ::pread(s.file->fd(), buf.data(), want, static_cast<off_t>(s.offset + done));
      if (n <= 0) throw std::runtime_error("short read computing a range MD5");
      md5.update(buf.data(), static_cast<size_t>(n));
      done += static_cast<uint64_t>(n);
    }
  }
  return md5.finish();
}

http::Response not_modified(const Call& call, const BlobRecord& blob) {
  auto res = make_response(call, 304);
  res.set("ETag", quoted(blob.etag));
  res.set("Last-Modified", timefmt::rfc1123(blob.last_modified));
  return res;
}

}  // namespace

BlobRecord require_blob(Backend& b, const Call& call, int64_t container_id, bool with_extents) {
  auto blob = b.meta.blob(container_id, call.blob, with_extents);
  if (!blob) throw errors::blob_not_found();
  return *blob;
}

std::string body_md5(http::InBody::value_type& body) {
  return body.digest();
}

void check_body_md5(const Call& call, const char* header, const std::string& computed) {
  std::string sent = call.header(header);
  if (sent.empty()) return;
  auto raw = crypto::base64_decode(sent);
  if (!raw || raw->size() != 16) {
    call.exchange.log_cause = std::string(header) + " is not a base64 MD5";
    throw StorageError(400, "InvalidMd5",
                       "The MD5 value specified in the request is invalid. The MD5 value must be "
                       "128 bits and Base64-encoded.",
                       {{"HeaderName", header}, {"HeaderValue", sent}});
  }
  if (*raw != computed) {
    call.exchange.log_cause = std::string(header) + " does not match the body";
    throw errors::md5_mismatch(sent, crypto::base64_encode(computed));
  }
}

TempFile* streamed_body(const Call& call) {
  auto* planned = static_cast<Planned*>(call.exchange.context.get());
  return planned ? planned->temp.get() : nullptr;
}

bool check_conditions(const Call& call, const BlobRecord* existing, bool is_read) {
  http::ConditionHeaders h{call.request["if-match"], call.request["if-none-match"],
                           call.request["if-modified-since"], call.request["if-unmodified-since"]};
  auto result = http::evaluate(h, existing != nullptr, existing ? quoted(existing->etag) : "",
                               existing ? existing->last_modified : timefmt::Instant{}, is_read);
  if (result == http::Precondition::failed) throw errors::condition_not_met();
  return result == http::Precondition::pass;
}

void check_replace(const Call& call, const BlobRecord* existing) {
  if (existing && !call.may_overwrite) {
    call.exchange.log_cause = "a create-only SAS may not replace an existing blob";
    throw errors::permission_mismatch();
  }
  if (existing && str::trim(call.header("if-none-match")) == "*") {
    call.exchange.log_cause = "If-None-Match: * and the blob exists";
    throw StorageError(409, "BlobAlreadyExists", "The specified blob already exists.");
  }
  check_conditions(call, existing, false);
}

ContentProperties content_from_headers(const Call& call, bool fallback_to_plain, bool any_md5) {
  ContentProperties c;
  auto pick = [&](const char* ms, const char* plain) {
    if (call.has_header(ms)) return call.header(ms);
    return fallback_to_plain ? call.header(plain) : std::string();
  };
  c.type = pick("x-ms-blob-content-type", "content-type");
  if (c.type.empty() && fallback_to_plain) c.type = "application/octet-stream";
  c.encoding = pick("x-ms-blob-content-encoding", "content-encoding");
  c.language = pick("x-ms-blob-content-language", "content-language");
  c.disposition = pick("x-ms-blob-content-disposition", "content-disposition");
  c.cache_control = pick("x-ms-blob-cache-control", "cache-control");
  std::string md5 = call.header("x-ms-blob-content-md5");
  if (!md5.empty()) {
    auto raw = crypto::base64_decode(md5);
    if (!raw || (raw->size() != 16 && !any_md5))
      throw errors::invalid_header("x-ms-blob-content-md5", md5);
    c.md5 = *raw;
  }
  return c;
}

http::Response put_blob(Backend& b, Call& call) {
  auto container = require_container(b, call);
  std::string type = call.header("x-ms-blob-type");
  if (type != "BlockBlob") {
    call.exchange.log_cause = "unsupported blob type " + type;
    throw StorageError(400, "InvalidHeaderValue", "Only block blobs are supported.",
                       {{"HeaderName", "x-ms-blob-type"}, {"HeaderValue", type}});
  }
  TempFile* streamed = streamed_body(call);
  auto& body = call.request.body();
  std::string computed = body_md5(body);
  // Both the transactional Content-MD5 and the stored x-ms-blob-content-md5 must match the body.
  for (const char* header : {"content-md5", "x-ms-blob-content-md5"})
    check_body_md5(call, header, computed);
  BlobRecord blob;
  blob.container_id = container.id;
  blob.name = call.blob;
  blob.size = body.size;
  blob.etag = new_etag();
  blob.created = blob.last_modified = call.now;
  blob.content = content_from_headers(call, true);
  if (blob.content.md5.empty()) blob.content.md5 = computed;
  blob.metadata = request_metadata(call);
  std::unique_ptr<PackedWrite> packed;  // held until the row is committed
  if (!streamed && body.size > 0) {
    packed = b.files.append_small(body.memory);
    blob.extents.push_back({packed->file(), packed->offset(), body.size, ""});
  } else if (body.size > 0) {
    blob.extents.push_back({b.files.commit(*streamed), 0, body.size, ""});
  }
  std::vector<std::string> dropped;
  {
    store::Transaction tx(b.meta.db());
    auto existing = b.meta.blob(container.id, call.blob);
    check_replace(call, existing ? &*existing : nullptr);
    dropped = b.meta.put_blob(blob, true);
    tx.commit();
  }
  b.files.remove(dropped);
  auto res = make_response(call, 201);
  add_write_headers(res, blob);
  res.set("Content-MD5", crypto::base64_encode(computed));
  return res;
}

namespace {
http::Response get_blob_once(Backend& b, Call& call, const ContainerRecord& container) {
  auto blob = require_blob(b, call, container.id, true);
  if (!check_conditions(call, &blob, true)) return not_modified(call, blob);
  if (blob.copy && blob.copy->status == "pending")
    throw StorageError(409, "PendingCopyOperation", "There is currently a pending copy operation.");
  std::string range_header = call.header("x-ms-range");
  bool ms_range = !range_header.empty();
  if (!ms_range) range_header = call.header("range");
  auto range = http::parse_range(range_header, blob.size);
  if (range.result == http::RangeResult::malformed && ms_range)
    throw errors::invalid_header("x-ms-range", range_header);
  if (range.result == http::RangeResult::unsatisfiable) {
    auto error = errors::invalid_range();
    call.exchange.log_cause = "range " + range_header + " outside " + std::to_string(blob.size);
    throw error;
  }
  bool partial = range.result == http::RangeResult::ok;
  uint64_t first = partial ? range.range.first : 0;
  uint64_t length = partial ? range.range.length : blob.size;
  auto res = make_response(call, partial ? 206 : 200);
  add_blob_headers(res, blob, call);
  res.body().spans = b.files.spans(blob.extents, first, length);
  if (partial) {
    res.set("Content-Range", "bytes " + std::to_string(first) + "-" +
                                 std::to_string(first + length - 1) + "/" +
                                 std::to_string(blob.size));
    if (!blob.content.md5.empty())
      res.set("x-ms-blob-content-md5", crypto::base64_encode(blob.content.md5));
    if (str::iequals(call.header("x-ms-range-get-content-md5"), "true")) {
      if (length > kMaxRangeMd5)
        throw StorageError(400, "OutOfRangeInput",
                           "The range MD5 can be asked for ranges of at most 4 MiB.");
      res.set("Content-MD5", crypto::base64_encode(md5_of_spans(res.body().spans)));
    }
  } else if (!blob.content.md5.empty()) {
    res.set("Content-MD5", crypto::base64_encode(blob.content.md5));
  }
  res.content_length(length);
  return res;
}
}  // namespace

http::Response get_blob(Backend& b, Call& call) {
  auto container = require_container(b, call);
  // A write or delete may replace the blob and drop its files between reading the row and
  // opening them: read again from the latest state. Past a few tries the data is really gone.
  constexpr int kTries = 4;
  for (int attempt = 1;; ++attempt) {
    try {
      return get_blob_once(b, call, container);
    } catch (const std::runtime_error& missing_file) {
      if (attempt == kTries) throw;
      call.exchange.log_cause = std::string("retried after: ") + missing_file.what();
      b.meta.db().refresh_read_snapshot();
    }
  }
}

http::Response blob_properties(Backend& b, Call& call) {
  auto container = require_container(b, call);
  auto blob = require_blob(b, call, container.id);
  if (!check_conditions(call, &blob, true)) return not_modified(call, blob);
  auto res = make_response(call, 200);
  add_blob_headers(res, blob, call);
  if (str::iequals(call.target.param_or("comp", ""), "metadata")) {
    res.content_length(0);
    return res;
  }
  if (!blob.content.md5.empty()) res.set("Content-MD5", crypto::base64_encode(blob.content.md5));
  res.set("x-ms-access-tier", "Hot");
  res.set("x-ms-access-tier-inferred", "true");
  // HEAD has no body but announces the blob's length.
  res.content_length(call.request.method() == boost::beast::http::verb::head ? blob.size : 0);
  return res;
}

http::Response set_blob_metadata(Backend& b, Call& call) {
  auto container = require_container(b, call);
  store::Transaction tx(b.meta.db());
  auto blob = require_blob(b, call, container.id);
  check_conditions(call, &blob, false);
  blob.metadata = request_metadata(call);
  blob.etag = new_etag();
  blob.last_modified = call.now;
  b.meta.update_blob_properties(blob);
  tx.commit();
  auto res = make_response(call, 200);
  add_write_headers(res, blob);
  return res;
}

http::Response set_blob_properties(Backend& b, Call& call) {
  auto container = require_container(b, call);
  store::Transaction tx(b.meta.db());
  auto blob = require_blob(b, call, container.id);
  check_conditions(call, &blob, false);
  // Properties not given are cleared, as the service does.
  blob.content = content_from_headers(call, false, true);
  blob.etag = new_etag();
  blob.last_modified = call.now;
  b.meta.update_blob_properties(blob);
  tx.commit();
  auto res = make_response(call, 200);
  add_write_headers(res, blob);
  return res;
}

http::Response set_blob_tier(Backend& b, Call& call) {
  auto container = require_container(b, call);
  require_blob(b, call, container.id);
  std::string tier = call.header("x-ms-access-tier");
  if (tier != "Hot" && tier != "Cool" && tier != "Cold" && tier != "Archive")
    throw errors::invalid_header("x-ms-access-tier", tier);
  // Every blob is Hot and stays so: refuse rather than answer 200 for a change not made.
  call.exchange.log_cause = "access tiers are not supported";
  throw errors::tier_not_supported();
}

http::Response delete_blob(Backend& b, Call& call) {
  auto container = require_container(b, call);
  std::vector<std::string> dropped;
  {
    store::Transaction tx(b.meta.db());
    auto blob = require_blob(b, call, container.id);
    check_conditions(call, &blob, false);
    // "only" deletes the blob's snapshots, of which there are none; the blob stays.
    if (call.header("x-ms-delete-snapshots") != "only") dropped = b.meta.delete_blob(blob.id);
    tx.commit();
  }
  b.files.remove(dropped);
  auto res = make_response(call, 202);
  res.set("x-ms-delete-type-permanent", "true");
  return res;
}

}  // namespace twin::blob::ops
