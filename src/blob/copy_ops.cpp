// Copy Blob (async), Copy Blob From URL (sync), Put Blob From URL and Abort Copy.
#include "blob/copy_engine.h"
#include "blob/errors.h"
#include "blob/ops.h"
#include "common/crypto.h"
#include "common/ids.h"
#include "common/strings.h"
#include "store/sqlite.h"

namespace twin::blob::ops {
namespace {

// What a finished copy writes into the destination.
struct CopiedContent {
  uint64_t size = 0;
  std::vector<Extent> extents;
  ContentProperties content;
  Metadata metadata;
};

CopiedContent copy_now(Backend& b, const CopySource& source) {
  CopiedContent out;
  out.content = source.content;
  out.metadata = source.metadata;
  if (source.local) {
    // Same process: the destination shares the source's immutable data files.
    out.size = source.blob->size;
    for (auto e : source.blob->extents) {
      e.block_id.clear();
      out.extents.push_back(e);
    }
    return out;
  }
  auto data = b.copies->fetch(source, std::nullopt);
  out.size = data.size;
  out.content = data.content;
  if (data.size > 0) out.extents.push_back({data.file, 0, data.size, ""});
  return out;
}

// Writes the destination row under the destination's conditions; returns the record.
BlobRecord write_destination(Backend& b, Call& call, int64_t container_id, BlobRecord blob) {
  std::vector<std::string> dropped;
  {
    store::Transaction tx(b.meta.db());
    auto existing = b.meta.blob(container_id, call.blob);
    check_replace(call, existing ? &*existing : nullptr);
    if (existing && existing->copy && existing->copy->status == "pending")
      throw StorageError(409, "PendingCopyOperation",
                         "There is currently a pending copy operation.");
    dropped = b.meta.put_blob(blob, true);
    tx.commit();
  }
  b.files.remove(dropped);
  return blob;
}

BlobRecord destination_record(const Call& call, int64_t container_id, const CopiedContent& c) {
  BlobRecord blob;
  blob.container_id = container_id;
  blob.name = call.blob;
  blob.size = c.size;
  blob.extents = c.extents;
  blob.etag = new_etag();
  blob.created = blob.last_modified = call.now;
  blob.content = c.content;
  Metadata requested = request_metadata(call);
  blob.metadata = requested.empty() ? c.metadata : requested;
  return blob;
}

CopyState copy_state(const std::string& source, const std::string& status, uint64_t copied,
                     uint64_t total, timefmt::Instant now) {
  CopyState s;
  s.id = ids::new_guid();
  s.status = status;
  s.source = source;
  s.copied = copied;
  s.total = total;
  if (status != "pending") s.completed = now;
  return s;
}

http::Response copy_accepted(const Call& call, const BlobRecord& blob, unsigned status) {
  auto res = make_response(call, status);
  res.set("ETag", quoted(blob.etag));
  res.set("Last-Modified", timefmt::rfc1123(blob.last_modified));
  res.set("x-ms-copy-id", blob.copy->id);
  res.set("x-ms-copy-status", blob.copy->status);
  return res;
}

// The source URL, after checking the destination as it stands now, so that a refused copy
// reads nothing; write_destination checks again in the transaction that writes.
std::string source_url(Backend& b, const Call& call, int64_t container_id) {
  std::string url = call.header("x-ms-copy-source");
  if (url.empty()) throw errors::missing_header("x-ms-copy-source");
  auto existing = b.meta.blob(container_id, call.blob);
  check_replace(call, existing ? &*existing : nullptr);
  return url;
}

}  // namespace

http::Response copy_blob(Backend& b, Call& call) {
  auto container = require_container(b, call);
  std::string url = source_url(b, call, container.id);
  CopySource source = b.copies->resolve(url, call);
  if (source.local) {
    auto blob = destination_record(call, container.id, copy_now(b, source));
    blob.copy = copy_state(url, "success", blob.size, blob.size, call.now);
    blob = write_destination(b, call, container.id, blob);
    return copy_accepted(call, blob, 202);
  }
  CopiedContent pending;
  pending.size = source.size;
  pending.content = source.content;
  pending.metadata = source.metadata;
  auto blob = destination_record(call, container.id, pending);
  blob.copy = copy_state(url, "pending", 0, source.size, call.now);
  blob = write_destination(b, call, container.id, blob);
  b.copies->enqueue(blob.id, *blob.copy);
  return copy_accepted(call, blob, 202);
}

http::Response copy_blob_from_url(Backend& b, Call& call) {
  auto container = require_container(b, call);
  std::string url = source_url(b, call, container.id);
  auto copied = copy_now(b, b.copies->resolve(url, call));
  auto blob = destination_record(call, container.id, copied);
  blob.copy = copy_state(url, "success", blob.size, blob.size, call.now);
  blob = write_destination(b, call, container.id, blob);
  auto res = copy_accepted(call, blob, 202);
  if (!blob.content.md5.empty()) res.set("Content-MD5", crypto::base64_encode(blob.content.md5));
  return res;
}

http::Response put_blob_from_url(Backend& b, Call& call) {
  auto container = require_container(b, call);
  auto copied = copy_now(b, b.copies->resolve(source_url(b, call, container.id), call));
  // Put Blob From URL takes the source's content properties unless told not to, never its
  // metadata, and lets explicit x-ms-blob-content-* headers win.
  bool copy_properties = !str::iequals(call.header("x-ms-copy-source-blob-properties"), "false");
  ContentProperties given = content_from_headers(call, false);
  ContentProperties content = copy_properties ? copied.content : ContentProperties{};
  for (auto [field, header] : {std::pair{&ContentProperties::type, "x-ms-blob-content-type"},
                               {&ContentProperties::encoding, "x-ms-blob-content-encoding"},
                               {&ContentProperties::language, "x-ms-blob-content-language"},
                               {&ContentProperties::disposition, "x-ms-blob-content-disposition"},
                               {&ContentProperties::cache_control, "x-ms-blob-cache-control"}})
    if (call.has_header(header)) content.*field = given.*field;
  if (!given.md5.empty()) content.md5 = given.md5;
  copied.content = content;
  copied.metadata.clear();
  auto blob = destination_record(call, container.id, copied);
  blob = write_destination(b, call, container.id, blob);
  auto res = make_response(call, 201);
  res.set("ETag", quoted(blob.etag));
  res.set("Last-Modified", timefmt::rfc1123(blob.last_modified));
  res.set("x-ms-request-server-encrypted", "true");
  if (!blob.content.md5.empty()) res.set("Content-MD5", crypto::base64_encode(blob.content.md5));
  return res;
}

http::Response abort_copy(Backend& b, Call& call) {
  if (!str::iequals(call.header("x-ms-copy-action"), "abort"))
    throw errors::invalid_header("x-ms-copy-action", call.header("x-ms-copy-action"));
  std::string copy_id = call.target.param_or("copyid", "");
  auto container = require_container(b, call);
  std::vector<std::string> dropped;
  {
    store::Transaction tx(b.meta.db());
    auto blob = require_blob(b, call, container.id, true);
    if (!blob.copy || blob.copy->status != "pending")
      throw StorageError(409, "NoPendingCopyOperation",
                         "There is currently no pending copy operation.");
    if (blob.copy->id != copy_id)
      throw StorageError(
          409, "CopyIdMismatch",
          "The specified copy ID did not match the copy ID for the pending copy operation.");
    blob.copy->status = "aborted";
    blob.copy->completed = call.now;
    blob.copy->description = "Copy aborted by the client.";
    blob.size = 0;
    blob.content.md5.clear();
    blob.extents.clear();
    blob.etag = new_etag();
    blob.last_modified = call.now;
    dropped = b.meta.put_blob(blob, false);
    tx.commit();
  }
  b.files.remove(dropped);
  b.copies->abort(copy_id);
  return make_response(call, 204);
}

}  // namespace twin::blob::ops
