#include "media/model.h"

#include <stdexcept>

namespace twin::media {
namespace {

std::vector<EntitySet> build() {
  using E = Edm;
  return {
      {"Assets",
       "Asset",
       "nb:cid:UUID:",
       {{"Id", E::String},
        {"State", E::Int32},
        {"Created", E::DateTime},
        {"LastModified", E::DateTime},
        {"AlternateId", E::String},
        {"Name", E::String},
        {"Options", E::Int32},
        {"FormatOption", E::Int32},
        {"Uri", E::String},
        {"StorageAccountName", E::String}},
       {"Locators", "Files", "ParentAssets", "StorageAccount"}},
      {"Files",
       "AssetFile",
       "nb:cid:UUID:",
       {{"Id", E::String},
        {"Name", E::String},
        {"ContentFileSize", E::Int64},
        {"ParentAssetId", E::String},
        {"EncryptionVersion", E::String},
        {"EncryptionScheme", E::String},
        {"IsEncrypted", E::Boolean},
        {"EncryptionKeyId", E::String},
        {"InitializationVector", E::String},
        {"IsPrimary", E::Boolean},
        {"LastModified", E::DateTime},
        {"Created", E::DateTime},
        {"MimeType", E::String},
        {"ContentChecksum", E::String},
        {"Options", E::Int32}},
       {"ParentAsset"}},
      {"AccessPolicies",
       "AccessPolicy",
       "nb:pid:UUID:",
       {{"Id", E::String},
        {"Created", E::DateTime},
        {"LastModified", E::DateTime},
        {"Name", E::String},
        {"DurationInMinutes", E::Double},
        {"Permissions", E::Int32}},
       {}},
      {"Locators",
       "Locator",
       "nb:lid:UUID:",
       {{"Id", E::String},
        {"Name", E::String},
        {"ExpirationDateTime", E::DateTime},
        {"Type", E::Int32},
        {"Path", E::String},
        {"BaseUri", E::String},
        {"ContentAccessComponent", E::String},
        {"AccessPolicyId", E::String},
        {"AssetId", E::String},
        {"StartTime", E::DateTime}},
       {"AccessPolicy", "Asset"}},
      {"Jobs",
       "Job",
       "nb:jid:UUID:",
       {{"Id", E::String},
        {"Name", E::String},
        {"Created", E::DateTime},
        {"LastModified", E::DateTime},
        {"EndTime", E::DateTime},
        {"Priority", E::Int32},
        {"RunningDuration", E::Double},
        {"StartTime", E::DateTime},
        {"State", E::Int32},
        {"TemplateId", E::String}},
       {"Tasks", "OutputMediaAssets", "InputMediaAssets"}},
      {"Tasks",
       "Task",
       "nb:tid:UUID:",
       {{"Id", E::String},
        {"Configuration", E::String},
        {"EndTime", E::DateTime},
        {"ErrorDetails", E::Collection},
        {"MediaProcessorId", E::String},
        {"Name", E::String},
        {"PerfMessage", E::String},
        {"Priority", E::Int32},
        {"Progress", E::Double},
        {"RunningDuration", E::Double},
        {"StartTime", E::DateTime},
        {"State", E::Int32},
        {"TaskBody", E::String},
        {"Options", E::Int32}},
       {"OutputMediaAssets", "InputMediaAssets"}},
      {"MediaProcessors",
       "MediaProcessor",
       "nb:mpid:UUID:",
       {{"Id", E::String},
        {"Description", E::String},
        {"Name", E::String},
        {"Sku", E::String},
        {"Vendor", E::String},
        {"Version", E::String}},
       {}},
  };
}

}  // namespace

const Property* EntitySet::property(std::string_view n) const {
  for (const auto& p : properties)
    if (p.name == n) return &p;
  return nullptr;
}

const char* edm_name(Edm t) {
  switch (t) {
    case Edm::Int32:
      return "Edm.Int32";
    case Edm::Int64:
      return "Edm.Int64";
    case Edm::Double:
      return "Edm.Double";
    case Edm::Boolean:
      return "Edm.Boolean";
    case Edm::DateTime:
      return "Edm.DateTime";
    case Edm::Collection: {  // the one collection property: Task.ErrorDetails
      static const std::string errors =
          std::string("Collection(") + kTypeNamespace + ".ErrorDetail)";
      return errors.c_str();
    }
    default:
      return "Edm.String";
  }
}

const std::vector<EntitySet>& entity_sets() {
  static const std::vector<EntitySet> sets = build();
  return sets;
}

const EntitySet* find_entity_set(std::string_view name) {
  for (const auto& s : entity_sets())
    if (s.name == name) return &s;
  return nullptr;
}

const EntitySet& entity_set(std::string_view name) {
  const EntitySet* s = find_entity_set(name);
  if (!s) throw std::logic_error("unknown entity set " + std::string(name));
  return *s;
}

}  // namespace twin::media
