#include "media/odata_response.h"

#include "common/strings.h"
#include "common/xml.h"

namespace twin::media {
namespace {

Json entity_json(const Format& f, const EntitySet& set, const Json& entity,
                 const std::vector<std::string>& select) {
  Json wire = wire_entity(set, entity, f.verbose);
  if (!select.empty()) {
    Json picked = Json::object();
    for (const auto& name : select)
      if (wire.contains(name)) picked[name] = wire[name];
    wire = std::move(picked);
  }
  if (auto it = wire.find("ErrorDetails"); it != wire.end() && f.verbose)
    *it = Json{
        {"__metadata", {{"type", std::string("Collection(") + kTypeNamespace + ".ErrorDetail)"}}},
        {"results", *it}};
  if (!f.verbose) return wire;
  std::string uri = entity_uri(f, set, entity.value("Id", ""));
  Json out = {
      {"__metadata",
       {{"id", uri}, {"uri", uri}, {"type", std::string(kTypeNamespace) + "." + set.type}}}};
  for (auto& [k, v] : wire.items()) out[k] = v;
  if (select.empty())
    for (const auto& nav : set.navigations) out[nav] = {{"__deferred", {{"uri", uri + "/" + nav}}}};
  return out;
}

}  // namespace

std::string content_type(bool verbose) {
  return verbose ? "application/json;odata=verbose;charset=utf-8"
                 : "application/json;odata=minimalmetadata;streaming=true;charset=utf-8";
}

std::string entity_uri(const Format& f, const EntitySet& set, const std::string& id) {
  return f.base + "/" + set.name + "('" + str::percent_encode(id) + "')";
}

std::string single_body(const Format& f, const EntitySet& set, const Json& entity,
                        const std::vector<std::string>& select) {
  Json body = entity_json(f, set, entity, select);
  if (f.verbose) return dump_json(Json{{"d", body}});
  Json out = {{"odata.metadata", f.base + "/$metadata#" + set.name + "/@Element"}};
  for (auto& [k, v] : body.items()) out[k] = v;
  return dump_json(out);
}

std::string collection_body(const Format& f, const EntitySet& set, const QueryResult& result,
                            const Query& query) {
  Json items = Json::array();
  for (const auto& e : result.entities) items.push_back(entity_json(f, set, e, query.select));
  if (f.verbose) {
    Json d = {{"results", items}};
    if (query.inline_count) d["__count"] = std::to_string(result.total);
    return dump_json(Json{{"d", d}});
  }
  Json out = {{"odata.metadata", f.base + "/$metadata#" + set.name}};
  if (query.inline_count) out["odata.count"] = std::to_string(result.total);
  out["value"] = items;
  return dump_json(out);
}

std::string property_body(const Format& f, const EntitySet& set, const Property& property,
                          const Json& entity) {
  Json wire = wire_entity(set, entity, f.verbose);
  Json value = wire.value(property.name, Json());
  if (f.verbose) return dump_json(Json{{"d", {{property.name, value}}}});
  return dump_json(Json{{"odata.metadata", f.base + "/$metadata#" + set.name + "/" + property.name},
                        {"value", value}});
}

std::string error_body(bool verbose, const std::string& code, const std::string& message) {
  Json error = {{"code", code}, {"message", {{"lang", "en-US"}, {"value", message}}}};
  return dump_json(Json{{verbose ? "error" : "odata.error", error}});
}

std::string service_document(const Format& f) {
  Json sets = Json::array();
  for (const auto& s : entity_sets())
    sets.push_back(f.verbose ? Json(s.name) : Json{{"name", s.name}, {"url", s.name}});
  if (f.verbose) return dump_json(Json{{"d", {{"EntitySets", sets}}}});
  return dump_json(Json{{"odata.metadata", f.base + "/$metadata"}, {"value", sets}});
}

std::string metadata_document() {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<edmx:Edmx Version=\"1.0\" xmlns:edmx=\"http://schemas.microsoft.com/ado/2007/06/edmx\">\n"
      "  <edmx:DataServices m:DataServiceVersion=\"3.0\" m:MaxDataServiceVersion=\"3.0\" "
      "xmlns:m=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\">\n"
      "    <Schema Namespace=\"" +
      std::string(kTypeNamespace) + "\" xmlns=\"http://schemas.microsoft.com/ado/2009/11/edm\">\n";
  out +=
      "      <ComplexType Name=\"ErrorDetail\">\n"
      "        <Property Name=\"Code\" Type=\"Edm.String\" />\n"
      "        <Property Name=\"Message\" Type=\"Edm.String\" />\n"
      "      </ComplexType>\n";
  for (const auto& s : entity_sets()) {
    out += "      <EntityType Name=\"" + s.type +
           "\">\n        <Key><PropertyRef Name=\"Id\" /></Key>\n";
    for (const auto& p : s.properties) {
      std::string type = edm_name(p.type);
      out += "        <Property Name=\"" + p.name + "\" Type=\"" + type + "\" />\n";
    }
    out += "      </EntityType>\n";
  }
  out += "      <EntityContainer Name=\"MediaContext\" m:IsDefaultEntityContainer=\"true\">\n";
  for (const auto& s : entity_sets())
    out += "        <EntitySet Name=\"" + s.name + "\" EntityType=\"" + kTypeNamespace + "." +
           s.type + "\" />\n";
  out += "      </EntityContainer>\n    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n";
  return out;
}

}  // namespace twin::media
