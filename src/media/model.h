// The entity sets of the Media Services v2 surface that twinorigin implements, described once:
// property names and EDM types drive parsing of request bodies, serialization (Int64 as strings,
// the two date forms), $select, $filter, and the $metadata document.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace twin::media {

enum class Edm { String, Int32, Int64, Double, Boolean, DateTime, Collection };

struct Property {
  std::string name;
  Edm type;
};

struct EntitySet {
  std::string name;       // "Assets"
  std::string type;       // "Asset"
  std::string id_prefix;  // "nb:cid:UUID:"
  std::vector<Property> properties;
  std::vector<std::string> navigations;
  const Property* property(std::string_view name) const;
};

// "Edm.Int32", …, as $metadata and error messages name the types.
const char* edm_name(Edm type);

const std::vector<EntitySet>& entity_sets();
const EntitySet* find_entity_set(std::string_view name);  // case-sensitive, as OData is
const EntitySet& entity_set(std::string_view name);       // must exist

constexpr const char* kTypeNamespace = "Microsoft.Cloud.Media.Vod.Rest.Data.Models";

// Enumerations the rules refer to.
namespace asset_options {
constexpr int none = 0, storage_encrypted = 1, common_encryption = 2, envelope_encryption = 4;
}
namespace permissions {
constexpr int none = 0, read = 1, write = 2, del = 4, list = 8;
}
namespace locator_type {
constexpr int none = 0, sas = 1, origin = 2;
}
namespace job_state {
constexpr int queued = 0, scheduled = 1, processing = 2, finished = 3, error = 4, canceled = 5,
              canceling = 6;
}

constexpr const char* kEncoderId = "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56";
constexpr const char* kEncoderName = "Media Encoder Standard";
constexpr const char* kEncoderVersion = "1.1";

}  // namespace twin::media
