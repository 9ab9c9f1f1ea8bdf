// The Blob operations, one function each, grouped by file: container_ops.cpp, blob_ops.cpp,
// block_ops.cpp, copy_ops.cpp. Each validates, does its work and builds the response; failures
// are thrown as StorageError.
#pragma once

#include "blob/backend.h"
#include "blob/call.h"

namespace twin::blob::ops {

http::Response list_containers(Backend& b, Call& call);
http::Response service_properties(Backend& b, Call& call);
http::Response set_service_properties(Backend& b, Call& call);
http::Response account_info(Backend& b, Call& call);
http::Response create_container(Backend& b, Call& call);
http::Response container_properties(Backend& b, Call& call);
http::Response set_container_metadata(Backend& b, Call& call);
http::Response get_container_acl(Backend& b, Call& call);
http::Response set_container_acl(Backend& b, Call& call);
http::Response delete_container(Backend& b, Call& call);
http::Response list_blobs(Backend& b, Call& call);

http::Response put_blob(Backend& b, Call& call);
http::Response get_blob(Backend& b, Call& call);
http::Response blob_properties(Backend& b, Call& call);
http::Response set_blob_metadata(Backend& b, Call& call);
http::Response set_blob_properties(Backend& b, Call& call);
http::Response set_blob_tier(Backend& b, Call& call);
http::Response delete_blob(Backend& b, Call& call);

http::Response put_block(Backend& b, Call& call);
http::Response put_block_from_url(Backend& b, Call& call);
http::Response put_block_list(Backend& b, Call& call);
http::Response get_block_list(Backend& b, Call& call);

http::Response copy_blob(Backend& b, Call& call);
http::Response copy_blob_from_url(Backend& b, Call& call);
http::Response put_blob_from_url(Backend& b, Call& call);
http::Response abort_copy(Backend& b, Call& call);

// Shared by the operation files.
ContainerRecord require_container(Backend& b, const Call& call);
BlobRecord require_blob(Backend& b, const Call& call, int64_t container_id,
                        bool with_extents = false);
// Throws ConditionNotMet (or returns false for a read's 304) per the If-* headers.
bool check_conditions(const Call& call, const BlobRecord* existing, bool is_read);
// For the writes that create or replace a whole blob (Put Blob, Put Block List and the copies):
// a create-only SAS may not replace a blob (403 AuthorizationPermissionMismatch), If-None-Match: *
// on an existing blob is 409 BlobAlreadyExists, then the If-* headers as for any write.
void check_replace(const Call& call, const BlobRecord* existing);
// Content-* properties from x-ms-blob-content-* headers (falling back to Content-* on Put Blob).
// x-ms-blob-content-md5 must be 16 bytes unless any_md5 (Set Blob Properties stores what it is
// given).
ContentProperties content_from_headers(const Call& call, bool fallback_to_plain,
                                       bool any_md5 = false);
// Throws InvalidMd5 when the header is not a base64 MD5, Md5Mismatch when it differs from the
// body's (raw) MD5; nothing when the header is absent.
void check_body_md5(const Call& call, const char* header, const std::string& computed);
// The MD5 of a request body, streamed to disk or kept in memory.
std::string body_md5(http::InBody::value_type& body);
// What plan_body worked out, left in exchange.context for handle() and the operation: the
// routing, and the temp file a large body streams into (null for small or no bodies).
struct Planned {
  std::string account, container, blob;
  Level level = Level::service;
  Op op = Op::unknown;
  std::unique_ptr<TempFile> temp;
};
// The streamed body's temp file of this call, or null.
TempFile* streamed_body(const Call& call);

}  // namespace twin::blob::ops
