#include "blob/xml_format.h"

#include <pugixml.hpp>

#include "blob/errors.h"
#include "common/crypto.h"
#include "common/strings.h"
#include "common/xml.h"

namespace twin::blob::xmlfmt {
namespace {
using xml::escape;

constexpr const char* kProlog = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

std::string element(const std::string& name, const std::string& value) {
  if (value.empty()) return "<" + name + " />";
  return "<" + name + ">" + escape(value) + "</" + name + ">";
}

std::string metadata_xml(const Metadata& m) {
  std::string out = "<Metadata>";
  for (const auto& [k, v] : m) out += "<" + k + ">" + escape(v) + "</" + k + ">";
  return out + "</Metadata>";
}

// Names with characters XML cannot carry are sent percent-encoded, flagged Encoded="true".
std::string name_xml(const std::string& name) {
  if (xml::is_valid_text(name)) return "<Name>" + escape(name) + "</Name>";
  return "<Name Encoded=\"true\">" + escape(str::percent_encode(name, true)) + "</Name>";
}

std::string blob_properties(const BlobRecord& b, bool include_copy) {
  std::string out = "<Properties>";
  out += element("Creation-Time", timefmt::rfc1123(b.created));
  out += element("Last-Modified", timefmt::rfc1123(b.last_modified));
  out += element("Etag", b.etag);
  out += element("Content-Length", std::to_string(b.size));
  out += element("Content-Type", b.content.type);
  out += element("Content-Encoding", b.content.encoding);
  out += element("Content-Language", b.content.language);
  out += element("Content-MD5", b.content.md5.empty() ? "" : crypto::base64_encode(b.content.md5));
  out += element("Content-Disposition", b.content.disposition);
  out += element("Cache-Control", b.content.cache_control);
  out +=
      "<BlobType>BlockBlob</BlobType><LeaseStatus>unlocked</LeaseStatus>"
      "<LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted>"
      "<AccessTier>Hot</AccessTier><AccessTierInferred>true</AccessTierInferred>";
  if (include_copy && b.copy) {
    out += element("CopyId", b.copy->id);
    out += element("CopyStatus", b.copy->status);
    out += element("CopySource", b.copy->source);
    out += element("CopyProgress",
                   std::to_string(b.copy->copied) + "/" + std::to_string(b.copy->total));
    if (b.copy->completed)
      out += element("CopyCompletionTime", timefmt::rfc1123(*b.copy->completed));
    if (!b.copy->description.empty()) out += element("CopyStatusDescription", b.copy->description);
  }
  return out + "</Properties>";
}
}  // namespace

std::string list_containers(const ListContainersArgs& a,
                            const std::vector<ContainerRecord>& containers) {
  std::string out = kProlog;
  out += "<EnumerationResults ServiceEndpoint=\"" + escape(a.service_endpoint) + "\">";
  if (!a.prefix.empty()) out += element("Prefix", a.prefix);
  if (!a.marker.empty()) out += element("Marker", a.marker);
  out += element("MaxResults", std::to_string(a.max_results));
  out += "<Containers>";
  for (const auto& c : containers) {
    out += "<Container>" + element("Name", c.name) + "<Properties>";
    out += element("Last-Modified", timefmt::rfc1123(c.last_modified));
    out += element("Etag", "\"" + c.etag + "\"");
    out += "<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>";
    if (!c.public_access.empty()) out += element("PublicAccess", c.public_access);
    out += "<HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold>";
    out += "</Properties>";
    if (a.include_metadata) out += metadata_xml(c.metadata);
    out += "</Container>";
  }
  out += "</Containers>" + element("NextMarker", a.next_marker) + "</EnumerationResults>";
  return out;
}

std::string list_blobs(const ListBlobsArgs& a, const ListPage& page) {
  std::string out = kProlog;
  out += "<EnumerationResults ServiceEndpoint=\"" + escape(a.service_endpoint) +
         "\" ContainerName=\"" + escape(a.container) + "\">";
  if (!a.prefix.empty()) out += element("Prefix", a.prefix);
  if (!a.marker.empty()) out += element("Marker", a.marker);
  out += element("MaxResults", std::to_string(a.max_results));
  if (!a.delimiter.empty()) out += element("Delimiter", a.delimiter);
  out += "<Blobs>";
  for (const auto& b : page.blobs) {
    out += "<Blob>" + name_xml(b.name) + blob_properties(b, a.include_copy);
    if (a.include_metadata) out += metadata_xml(b.metadata);
    out += "</Blob>";
  }
  for (const auto& p : page.prefixes) out += "<BlobPrefix>" + name_xml(p) + "</BlobPrefix>";
  out += "</Blobs>" + element("NextMarker", page.next_marker) + "</EnumerationResults>";
  return out;
}

std::vector<BlockListEntry> parse_block_list(const std::string& body) {
  pugi::xml_document doc;
  auto result = doc.load_buffer(body.data(), body.size());
  if (!result) throw errors::invalid_xml(result.description());
  auto root = doc.child("BlockList");
  if (!root) throw errors::invalid_xml("The root element must be BlockList.");
  std::vector<BlockListEntry> out;
  for (auto node : root.children()) {
    std::string tag = node.name();
    BlockListKind kind;
    if (tag == "Latest")
      kind = BlockListKind::latest;
    else if (tag == "Committed")
      kind = BlockListKind::committed;
    else if (tag == "Uncommitted")
      kind = BlockListKind::uncommitted;
    else
      throw errors::invalid_xml("Unexpected element " + tag + ".");
    out.push_back({kind, std::string(str::trim(node.child_value()))});
  }
  return out;
}

std::string block_list(const std::vector<BlockSize>* committed,
                       const std::vector<BlockSize>* uncommitted) {
  auto section = [](const char* name, const std::vector<BlockSize>* blocks) {
    if (!blocks) return std::string();
    if (blocks->empty()) return "<" + std::string(name) + " />";
    std::string out = "<" + std::string(name) + ">";
    for (const auto& b : *blocks)
      out +=
          "<Block>" + element("Name", b.id) + element("Size", std::to_string(b.size)) + "</Block>";
    return out + "</" + name + ">";
  };
  return std::string(kProlog) + "<BlockList>" + section("CommittedBlocks", committed) +
         section("UncommittedBlocks", uncommitted) + "</BlockList>";
}

std::vector<AccessPolicy> parse_signed_identifiers(const std::string& body) {
  std::vector<AccessPolicy> out;
  if (str::trim(body).empty()) return out;
  pugi::xml_document doc;
  auto result = doc.load_buffer(body.data(), body.size());
  if (!result) throw errors::invalid_xml(result.description());
  auto root = doc.child("SignedIdentifiers");
  if (!root) throw errors::invalid_xml("The root element must be SignedIdentifiers.");
  for (auto node : root.children("SignedIdentifier")) {
    AccessPolicy p;
    p.id = node.child_value("Id");
    auto policy = node.child("AccessPolicy");
    p.start = policy.child_value("Start");
    p.expiry = policy.child_value("Expiry");
    p.permission = policy.child_value("Permission");
    if (p.id.empty() || p.id.size() > 64)
      throw StorageError(400, "InvalidXmlDocument",
                         "A signed identifier needs an Id of 1 to 64 characters.");
    out.push_back(p);
  }
  if (out.size() > 5)
    throw StorageError(400, "InvalidXmlDocument", "At most five signed identifiers are allowed.");
  return out;
}

std::string signed_identifiers(const std::vector<AccessPolicy>& acl) {
  std::string out = std::string(kProlog) + "<SignedIdentifiers>";
  for (const auto& p : acl) {
    out += "<SignedIdentifier>" + element("Id", p.id) + "<AccessPolicy>";
    if (!p.start.empty()) out += element("Start", p.start);
    if (!p.expiry.empty()) out += element("Expiry", p.expiry);
    if (!p.permission.empty()) out += element("Permission", p.permission);
    out += "</AccessPolicy></SignedIdentifier>";
  }
  return out + "</SignedIdentifiers>";
}

}  // namespace twin::blob::xmlfmt
