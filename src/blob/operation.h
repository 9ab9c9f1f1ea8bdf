// Which Blob operation a request is (method + comp/restype + headers), and what each one needs:
// the resource level it acts on and the SAS permission letters that allow it.
#pragma once

#include <string>
#include <string_view>

#include "http/server.h"
#include "http/target.h"

namespace twin::blob {

enum class Op {
  unknown,
  list_containers,
  get_service_properties,
  set_service_properties,
  get_account_info,
  get_user_delegation_key,
  create_container,
  get_container_properties,
  set_container_metadata,
  get_container_acl,
  set_container_acl,
  delete_container,
  list_blobs,
  put_blob,
  put_blob_from_url,
  put_block,
  put_block_from_url,
  put_block_list,
  get_block_list,
  get_blob,
  get_blob_properties,
  set_blob_metadata,
  set_blob_properties,
  set_blob_tier,
  delete_blob,
  copy_blob,
  copy_blob_from_url,
  abort_copy,
};

enum class Level { service, container, blob };

struct OpInfo {
  Op op;
  const char* name;
  Level level;
  const char* service_sas_letters;  // any one of these; "" means not allowed by a service SAS
  const char* account_sas_letters;
  bool reads;  // allowed anonymously on a public container/blob
};

const OpInfo& info(Op op);
Op classify(const http::Request& request, const http::Target& target, Level level);
// Whether the request carries a body that must be streamed to disk (Put Blob, Put Block).
bool streams_body(Op op);

}  // namespace twin::blob
