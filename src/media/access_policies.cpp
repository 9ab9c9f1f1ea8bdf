// AccessPolicies: a duration and permissions that locators refer to.
#include "media/api.h"
#include "media/errors.h"

namespace twin::media {

Json create_access_policy(Api& api, const Json& fields) {
  if (!fields.contains("DurationInMinutes") || !fields["DurationInMinutes"].is_number())
    throw bad_request("DurationInMinutes is required");
  double minutes = fields["DurationInMinutes"];
  if (!(minutes > 0)) throw bad_request("DurationInMinutes must be greater than 0");
  if (!fields.contains("Name") || !fields["Name"].is_string())
    throw bad_request("Name is required");
  int64_t permissions = int_field(fields, "Permissions", 0);
  if (permissions < 0 || permissions > 15)
    throw bad_request("Permissions must combine Read=1, Write=2, Delete=4 and List=8");
  int64_t now = now_ms();
  Json policy = {{"Id", new_entity_id("nb:pid:UUID:")},
                 {"Created", now},
                 {"LastModified", now},
                 {"Name", fields["Name"]},
                 {"DurationInMinutes", minutes},
                 {"Permissions", permissions}};
  api.store.insert(api.account.name, "AccessPolicies", "", policy);
  return policy;
}

}  // namespace twin::media
