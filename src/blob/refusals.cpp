#include "blob/refusals.h"

#include <array>
#include <string_view>

#include "blob/errors.h"
#include "common/strings.h"

namespace twin::blob {
namespace {

// Headers of features this service does not have. Each would change what a write does (tags,
// encryption, immutability, sequence numbers, expiry) or what a client checks (CRC64, source
// conditions and MD5), so ignoring one would report success for something that did not happen.
constexpr std::array<std::string_view, 33> kUnsupportedHeaders = {
    "x-ms-tags",
    "x-ms-if-tags",
    "x-ms-source-if-tags",
    "x-ms-copy-source-tag-option",
    "x-ms-encryption-key",
    "x-ms-encryption-key-sha256",
    "x-ms-encryption-algorithm",
    "x-ms-encryption-scope",
    "x-ms-default-encryption-scope",
    "x-ms-deny-encryption-scope-override",
    "x-ms-immutability-policy-until-date",
    "x-ms-immutability-policy-mode",
    "x-ms-legal-hold",
    "x-ms-content-crc64",
    "x-ms-source-content-crc64",
    "x-ms-range-get-content-crc64",
    "x-ms-source-content-md5",
    "x-ms-source-if-match",
    "x-ms-source-if-none-match",
    "x-ms-source-if-modified-since",
    "x-ms-source-if-unmodified-since",
    "x-ms-copy-source-authorization",
    "x-ms-rehydrate-priority",
    "x-ms-blob-condition-maxsize",
    "x-ms-blob-condition-appendpos",
    "x-ms-if-sequence-number-le",
    "x-ms-if-sequence-number-lt",
    "x-ms-if-sequence-number-eq",
    "x-ms-blob-sequence-number",
    "x-ms-sequence-number-action",
    "x-ms-expiry-option",
    "x-ms-expiry-time",
    "x-ms-seal-blob",
};

constexpr std::array<std::string_view, 4> kConditionHeaders = {
    "if-match", "if-none-match", "if-modified-since", "if-unmodified-since"};

// Blob operations that evaluate every conditional header against the blob.
bool evaluates_blob_conditions(Op op) {
  switch (op) {
    case Op::get_blob:
    case Op::get_blob_properties:
    case Op::set_blob_metadata:
    case Op::set_blob_properties:
    case Op::delete_blob:
    case Op::put_blob:
    case Op::put_block_list:
    case Op::copy_blob:
    case Op::copy_blob_from_url:
    case Op::put_blob_from_url:
      return true;
    default:
      return false;
  }
}

// Container writes that evaluate the date conditions against the container.
bool evaluates_container_dates(Op op) {
  return op == Op::set_container_metadata || op == Op::set_container_acl ||
         op == Op::delete_container;
}

void refuse_conditions(const Call& call) {
  if (evaluates_blob_conditions(call.op)) return;
  for (std::string_view name : kConditionHeaders) {
    if (!call.has_header(name)) continue;
    bool date = name == "if-modified-since" || name == "if-unmodified-since";
    if (date && evaluates_container_dates(call.op)) continue;
    call.exchange.log_cause = std::string(name) + " is not evaluated by " + info(call.op).name;
    throw StorageError(400, "ConditionHeadersNotSupported", "Condition headers are not supported.",
                       {{"HeaderName", std::string(name)}});
  }
}

void refuse_snapshots(const Call& call) {
  for (const char* name : {"snapshot", "versionid"}) {
    auto value = call.target.param(name);
    if (!value) continue;
    if (!timefmt::parse_iso8601(*value)) {
      call.exchange.log_cause = std::string("malformed ") + name;
      throw errors::invalid_query(name, *value, "not a date-time");
    }
    // Snapshots and versions are never made here, so the one named does not exist.
    call.exchange.log_cause = std::string(name) + " " + *value + " does not exist";
    throw errors::blob_not_found();
  }
}

void refuse_leases(const Call& call) {
  for (const char* name : {"x-ms-lease-id", "x-ms-source-lease-id"}) {
    if (!call.has_header(name)) continue;
    // No lease can be taken here, so a lease id never matches one.
    call.exchange.log_cause = std::string(name) + " given but leases are not supported";
    if (call.level == Level::container)
      throw StorageError(412, "LeaseNotPresentWithContainerOperation",
                         "There is currently no lease on the container.");
    throw StorageError(412, "LeaseNotPresentWithBlobOperation",
                       "There is currently no lease on the blob.");
  }
}

void refuse_headers(const Call& call) {
  for (std::string_view name : kUnsupportedHeaders) {
    if (!call.has_header(name)) continue;
    call.exchange.log_cause = std::string(name) + " is not supported";
    throw errors::unsupported_header(std::string(name), call.header(name));
  }
  // Set Blob Tier checks its own header's value first (a bad one is 400), then refuses.
  if (call.has_header("x-ms-access-tier") && call.op != Op::set_blob_tier) {
    call.exchange.log_cause = "access tiers are not supported";
    throw errors::tier_not_supported();
  }
  std::string delete_snapshots = call.header("x-ms-delete-snapshots");
  if (call.has_header("x-ms-delete-snapshots") && delete_snapshots != "include" &&
      delete_snapshots != "only")
    throw errors::invalid_header("x-ms-delete-snapshots", delete_snapshots);
}

void refuse_query(const Call& call) {
  if (auto showonly = call.target.param("showonly")) {
    call.exchange.log_cause = "showonly is not supported";
    throw errors::unsupported_query("showonly", *showonly);
  }
}

}  // namespace

bool names_snapshot_or_version(const http::Target& target) {
  return target.has("snapshot") || target.has("versionid");
}

void refuse_unhonoured(const Call& call) {
  if (call.level == Level::blob) refuse_snapshots(call);
  refuse_leases(call);
  refuse_headers(call);
  refuse_conditions(call);
  refuse_query(call);
}

}  // namespace twin::blob
