#include "blob/operation.h"

#include <array>

#include "common/strings.h"

namespace twin::blob {
namespace bhttp = boost::beast::http;

namespace {
constexpr std::array<OpInfo, 28> kOps = {{
    {Op::unknown, "Unknown", Level::service, "", "", false},
    {Op::list_containers, "ListContainers", Level::service, "", "l", false},
    {Op::get_service_properties, "GetServiceProperties", Level::service, "", "r", false},
    {Op::set_service_properties, "SetServiceProperties", Level::service, "", "w", false},
    {Op::get_account_info, "GetAccountInfo", Level::service, "racwdl", "racwdl", false},
    {Op::get_user_delegation_key, "GetUserDelegationKey", Level::service, "", "", false},
    {Op::create_container, "CreateContainer", Level::container, "", "cw", false},
    {Op::get_container_properties, "GetContainerProperties", Level::container, "", "r", true},
    {Op::set_container_metadata, "SetContainerMetadata", Level::container, "", "w", false},
    {Op::get_container_acl, "GetContainerAcl", Level::container, "", "r", false},
    {Op::set_container_acl, "SetContainerAcl", Level::container, "", "w", false},
    {Op::delete_container, "DeleteContainer", Level::container, "", "d", false},
    {Op::list_blobs, "ListBlobs", Level::container, "l", "l", true},
    {Op::put_blob, "PutBlob", Level::blob, "cw", "cw", false},
    {Op::put_blob_from_url, "PutBlobFromUrl", Level::blob, "cw", "cw", false},
    {Op::put_block, "PutBlock", Level::blob, "w", "w", false},
    {Op::put_block_from_url, "PutBlockFromUrl", Level::blob, "w", "w", false},
    {Op::put_block_list, "PutBlockList", Level::blob, "w", "w", false},
    {Op::get_block_list, "GetBlockList", Level::blob, "r", "r", true},
    {Op::get_blob, "GetBlob", Level::blob, "r", "r", true},
    {Op::get_blob_properties, "GetBlobProperties", Level::blob, "r", "r", true},
    {Op::set_blob_metadata, "SetBlobMetadata", Level::blob, "w", "w", false},
    {Op::set_blob_properties, "SetBlobProperties", Level::blob, "w", "w", false},
    {Op::set_blob_tier, "SetBlobTier", Level::blob, "w", "w", false},
    {Op::delete_blob, "DeleteBlob", Level::blob, "d", "d", false},
    {Op::copy_blob, "CopyBlob", Level::blob, "cw", "cw", false},
    {Op::copy_blob_from_url, "CopyBlobFromUrl", Level::blob, "cw", "cw", false},
    {Op::abort_copy, "AbortCopy", Level::blob, "w", "w", false},
}};

Op classify_service(bhttp::verb method, const std::string& comp, const std::string& restype) {
  if (method == bhttp::verb::post)
    return comp == "userdelegationkey" && restype == "service" ? Op::get_user_delegation_key
                                                               : Op::unknown;
  if (method == bhttp::verb::put)
    return comp == "properties" && restype == "service" ? Op::set_service_properties : Op::unknown;
  if (method != bhttp::verb::get && method != bhttp::verb::head) return Op::unknown;
  if (comp == "list") return Op::list_containers;
  if (comp == "properties" && restype == "service") return Op::get_service_properties;
  if (comp == "properties" && restype == "account") return Op::get_account_info;
  return Op::unknown;
}

Op classify_container(bhttp::verb method, const std::string& comp) {
  switch (method) {
    case bhttp::verb::put:
      if (comp.empty()) return Op::create_container;
      if (comp == "metadata") return Op::set_container_metadata;
      if (comp == "acl") return Op::set_container_acl;
      return Op::unknown;
    case bhttp::verb::get:
    case bhttp::verb::head:
      if (comp.empty() || comp == "metadata") return Op::get_container_properties;
      if (comp == "acl") return Op::get_container_acl;
      if (comp == "list" && method == bhttp::verb::get) return Op::list_blobs;
      return Op::unknown;
    case bhttp::verb::delete_:
      return comp.empty() ? Op::delete_container : Op::unknown;
    default:
      return Op::unknown;
  }
}

Op classify_blob_put(const http::Request& request, const std::string& comp) {
  bool has_source = request.find("x-ms-copy-source") != request.end();
  if (comp == "block") return has_source ? Op::put_block_from_url : Op::put_block;
  if (comp == "blocklist") return Op::put_block_list;
  if (comp == "metadata") return Op::set_blob_metadata;
  if (comp == "properties") return Op::set_blob_properties;
  if (comp == "tier") return Op::set_blob_tier;
  if (comp == "copy") return Op::abort_copy;
  if (!comp.empty()) return Op::unknown;
  bool has_type = request.find("x-ms-blob-type") != request.end();
  if (has_source && has_type) return Op::put_blob_from_url;
  if (has_source)
    return str::iequals(request["x-ms-requires-sync"], "true") ? Op::copy_blob_from_url
                                                               : Op::copy_blob;
  return Op::put_blob;
}
}  // namespace

const OpInfo& info(Op op) {
  return kOps[static_cast<size_t>(op)];
}

bool streams_body(Op op) {
  return op == Op::put_blob || op == Op::put_block;
}

Op classify(const http::Request& request, const http::Target& target, Level level) {
  std::string comp = str::to_lower(target.param_or("comp", ""));
  std::string restype = str::to_lower(target.param_or("restype", ""));
  auto method = request.method();
  if (level == Level::service) return classify_service(method, comp, restype);
  if (level == Level::container) {
    // Account-level calls that some clients send with a trailing slash land here too.
    if (restype != "container") return Op::unknown;
    return classify_container(method, comp);
  }
  switch (method) {
    case bhttp::verb::put:
      return classify_blob_put(request, comp);
    case bhttp::verb::get:
    case bhttp::verb::head:
      if (comp.empty() || comp == "metadata")
        return method == bhttp::verb::get && comp.empty() ? Op::get_blob : Op::get_blob_properties;
      if (comp == "blocklist") return Op::get_block_list;
      return Op::unknown;
    case bhttp::verb::delete_:
      return comp.empty() ? Op::delete_blob : Op::unknown;
    default:
      return Op::unknown;
  }
}

}  // namespace twin::blob
