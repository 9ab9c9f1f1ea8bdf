// Block operations: Put Block (and from URL), Put Block List, Get Block List.
#include <map>

#include "blob/copy_engine.h"
#include "blob/errors.h"
#include "blob/names.h"
#include "blob/ops.h"
#include "blob/xml_format.h"
#include "common/crypto.h"
#include "common/strings.h"
#include "http/range.h"
#include "store/sqlite.h"

namespace twin::blob::ops {
namespace {
constexpr size_t kMaxCommittedBlocks = 50000;

std::string require_block_id(Call& call) {
  std::string id = call.target.param_or("blockid", "");
  if (!names::valid_block_id(id)) {
    call.exchange.log_cause = "bad block id '" + id + "'";
    throw errors::invalid_query("blockid", id, "must be base64 of at most 64 bytes");
  }
  return id;
}

// Block ids of one blob must all have the same length.
void check_block_id_length(Backend& b, Call& call, int64_t container_id, const std::string& id) {
  auto existing = b.meta.uncommitted_blocks(container_id, call.blob);
  if (!existing.empty() && existing.front().block_id.size() != id.size()) {
    call.exchange.log_cause = "block id length differs from the blob's other blocks";
    throw StorageError(400, "InvalidBlobOrBlock",
                       "The specified blob or block content is invalid.");
  }
}

http::Response block_stored(Backend& b, Call& call, int64_t container_id, const BlockRecord& block,
                            const std::string& md5) {
  b.files.remove(b.meta.put_block(container_id, call.blob, block));
  auto res = make_response(call, 201);
  res.set("Content-MD5", crypto::base64_encode(md5));
  res.set("x-ms-request-server-encrypted", "true");
  return res;
}
}  // namespace

http::Response put_block(Backend& b, Call& call) {
  auto container = require_container(b, call);
  std::string id = require_block_id(call);
  check_block_id_length(b, call, container.id, id);
  auto& body = call.request.body();
  std::string computed = body_md5(body);
  check_body_md5(call, "content-md5", computed);
  TempFile* streamed = streamed_body(call);
  if (!streamed) {  // a small block, kept in memory: into a pack file
    auto packed = b.files.append_small(body.memory);
    BlockRecord block{id, body.size, packed->file(), packed->offset()};
    return block_stored(b, call, container.id, block, computed);
  }
  BlockRecord block{id, body.size, b.files.commit(*streamed)};
  return block_stored(b, call, container.id, block, computed);
}

http::Response put_block_from_url(Backend& b, Call& call) {
  auto container = require_container(b, call);
  std::string id = require_block_id(call);
  check_block_id_length(b, call, container.id, id);
  std::optional<http::ByteRange> range;
  std::string range_header = call.header("x-ms-source-range");
  if (!range_header.empty()) {
    // The source size is unknown here: parse against the largest size and let the source clamp.
    auto parsed = http::parse_range(range_header, UINT64_MAX);
    if (parsed.result != http::RangeResult::ok)
      throw errors::invalid_header("x-ms-source-range", range_header);
    range = parsed.range;
  }
  auto fetched = b.copies->fetch(call.header("x-ms-copy-source"), range, call);
  BlockRecord block{id, fetched.size, fetched.file};
  return block_stored(b, call, container.id, block, fetched.md5);
}

http::Response put_block_list(Backend& b, Call& call) {
  auto container = require_container(b, call);
  auto entries = xmlfmt::parse_block_list(call.request.body().memory);
  if (entries.size() > kMaxCommittedBlocks)
    throw StorageError(
        409, "BlockCountExceedsLimit",
        "The committed block count cannot exceed the maximum limit of 50,000 blocks.");
  std::vector<std::string> dropped;
  BlobRecord blob;
  {
    store::Transaction tx(b.meta.db());
    auto existing = b.meta.blob(container.id, call.blob, true);
    check_replace(call, existing ? &*existing : nullptr);
    std::map<std::string, Extent> committed, uncommitted;
    if (existing)
      for (const auto& e : existing->extents)
        if (!e.block_id.empty()) committed[e.block_id] = e;
    for (const auto& blk : b.meta.uncommitted_blocks(container.id, call.blob))
      uncommitted[blk.block_id] = {blk.file, blk.offset, blk.size, blk.block_id};
    blob.container_id = container.id;
    blob.name = call.blob;
    for (const auto& entry : entries) {
      const Extent* found = nullptr;
      if (entry.kind != xmlfmt::BlockListKind::committed && uncommitted.count(entry.id))
        found = &uncommitted[entry.id];
      else if (entry.kind != xmlfmt::BlockListKind::uncommitted && committed.count(entry.id))
        found = &committed[entry.id];
      if (!found) {
        call.exchange.log_cause = "block list names unknown block " + entry.id;
        throw StorageError(400, "InvalidBlockList", "The specified block list is invalid.");
      }
      blob.extents.push_back(*found);
      blob.size += found->length;
    }
    blob.etag = new_etag();
    blob.created = blob.last_modified = call.now;
    blob.content = content_from_headers(call, false);
    if (blob.content.type.empty()) blob.content.type = "application/octet-stream";
    blob.metadata = request_metadata(call);
    dropped = b.meta.put_blob(blob, true);
    tx.commit();
  }
  b.files.remove(dropped);
  auto res = make_response(call, 201);
  res.set("ETag", quoted(blob.etag));
  res.set("Last-Modified", timefmt::rfc1123(blob.last_modified));
  res.set("Content-MD5", crypto::base64_encode(crypto::md5(call.request.body().memory)));
  res.set("x-ms-request-server-encrypted", "true");
  return res;
}

http::Response get_block_list(Backend& b, Call& call) {
  auto container = require_container(b, call);
  std::string type = str::to_lower(call.target.param_or("blocklisttype", "committed"));
  if (type != "committed" && type != "uncommitted" && type != "all")
    throw errors::invalid_query("blocklisttype", type, "must be committed, uncommitted or all");
  auto blob = b.meta.blob(container.id, call.blob, true);
  auto pending = b.meta.uncommitted_blocks(container.id, call.blob);
  if (!blob && pending.empty()) throw errors::blob_not_found();
  std::vector<xmlfmt::BlockSize> committed, uncommitted;
  if (blob)
    for (const auto& e : blob->extents)
      if (!e.block_id.empty()) committed.push_back({e.block_id, e.length});
  for (const auto& p : pending) uncommitted.push_back({p.block_id, p.size});
  bool want_committed = type != "uncommitted", want_uncommitted = type != "committed";
  auto res = make_response(call, 200);
  if (blob) {
    res.set("ETag", quoted(blob->etag));
    res.set("Last-Modified", timefmt::rfc1123(blob->last_modified));
  }
  res.set("x-ms-blob-content-length", std::to_string(blob ? blob->size : 0));
  set_xml(res, xmlfmt::block_list(want_committed ? &committed : nullptr,
                                  want_uncommitted ? &uncommitted : nullptr));
  return res;
}

}  // namespace twin::blob::ops
