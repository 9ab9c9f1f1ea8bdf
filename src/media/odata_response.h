// OData v3 JSON bodies in the two forms Media Services clients ask for: verbose
// ({"d":…}, __metadata, __deferred, \/Date(ms)\/) and minimal metadata (odata.metadata, value,
// ISO dates); the service document, the $metadata document and OData error objects.
#pragma once

#include <string>
#include <vector>

#include "media/model.h"
#include "media/odata_query.h"
#include "media/odata_value.h"

namespace twin::media {

struct Format {
  bool verbose = false;
  std::string base;  // the account's API root without the trailing slash: ".../acct/api"
};

std::string content_type(bool verbose);
std::string entity_uri(const Format& f, const EntitySet& set, const std::string& id);

std::string single_body(const Format& f, const EntitySet& set, const Json& entity,
                        const std::vector<std::string>& select = {});
std::string collection_body(const Format& f, const EntitySet& set, const QueryResult& result,
                            const Query& query);
std::string property_body(const Format& f, const EntitySet& set, const Property& property,
                          const Json& entity);
std::string error_body(bool verbose, const std::string& code, const std::string& message);
std::string service_document(const Format& f);
std::string metadata_document();

}  // namespace twin::media
