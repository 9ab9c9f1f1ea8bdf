// The resource grammar under an account's API root: the service document, $metadata, the
// functions (CreateFileInfos, CancelJob), entity sets, entities by key, their navigation
// properties and single properties, with GET, POST, MERGE/PATCH/PUT and DELETE.
#include <boost/beast/http/field.hpp>
#include <regex>

#include "common/json_bounds.h"
#include "common/strings.h"
#include "http/target.h"
#include "media/errors.h"
#include "media/media_service.h"

namespace twin::media {
namespace bhttp = boost::beast::http;
namespace {

struct Resource {
  std::string set;
  std::optional<std::string> key;
  std::string sub;  // navigation, property or $count
};

Resource parse_resource(std::string_view rest) {
  static const std::regex form(
      R"(^([A-Za-z]+)(?:\(\)|\('((?:[^']|'')*)'\))?(?:/(\$?[A-Za-z]+)(?:\(\))?)?/?$)");
  std::string text(rest);
  std::smatch m;
  if (!std::regex_match(text, m, form))
    throw not_found("Resource not found for the segment '" + text + "'");
  Resource r{m[1].str(), std::nullopt, m[3].str()};
  if (m[2].matched) {
    std::string key = str::percent_decode(m[2].str());
    r.key = std::regex_replace(key, std::regex("''"), "'");
  }
  return r;
}

// 'value' → value, for function parameters.
std::string unquote(const std::string& v) {
  std::string s = str::percent_decode(v);
  if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') return s.substr(1, s.size() - 2);
  return s;
}

std::string method_of(http::Exchange& ex) {
  std::string method(ex.request.method_string());
  if (auto tunnel = ex.request["X-HTTP-Method"]; !tunnel.empty() && method == "POST")
    method = std::string(tunnel);
  return method;
}

Json parse_json_body(http::Exchange& ex) {
  const std::string& text = ex.request.body().memory;
  if (str::trim(text).empty()) throw bad_request("The request body is empty");
  Json body;
  try {
    body = jsonb::parse(text);
  } catch (const jsonb::TooDeep& e) {
    throw bad_request(std::string("The request body is ") + e.what());
  } catch (const jsonb::Invalid&) {
    throw bad_request("The request body is not valid JSON");
  }
  if (!body.is_object()) throw bad_request("The request body is not a JSON object");
  return body;
}

std::vector<Json> list_of(Api& api, const std::string& set) {
  if (set == "MediaProcessors") return {media_processor()};
  return api.store.list(api.account.name, set);
}

Json entity_of(Api& api, const std::string& set, const std::string& id) {
  if (set == "MediaProcessors") {
    if (id != kEncoderId) throw not_found("No MediaProcessor with Id '" + id + "' exists");
    return media_processor();
  }
  return require(api, set, id);
}

http::Response collection(Api& api, http::Exchange& ex, const EntitySet& set,
                          std::vector<Json> items) {
  http::Target target(ex.request.target());
  Query q = parse_query(target, set);
  QueryResult result = apply_query(q, std::move(items));
  return json_response(ex, 200, collection_body(api.format, set, result, q),
                       content_type(api.format.verbose));
}

http::Response single(Api& api, http::Exchange& ex, const EntitySet& set, const Json& entity,
                      unsigned status = 200) {
  http::Target target(ex.request.target());
  Query q = parse_query(target, set);
  auto res = json_response(ex, status, single_body(api.format, set, entity, q.select),
                           content_type(api.format.verbose));
  if (status == 201) res.set(bhttp::field::location, entity_uri(api.format, set, entity["Id"]));
  return res;
}

http::Response no_content(http::Exchange& ex) {
  return json_response(ex, 204, "", "");
}

std::vector<Json> assets_by_id(Api& api, const Json& ids) {
  std::vector<Json> out;
  for (const auto& id : ids)
    if (auto a = api.store.get(api.account.name, "Assets", id)) out.push_back(*a);
  return out;
}

http::Response navigate(Api& api, http::Exchange& ex, const EntitySet& set, const Json& entity,
                        const std::string& nav) {
  const std::string& id = entity["Id"].get_ref<const std::string&>();
  auto many = [&](const char* target, std::vector<Json> items) {
    return collection(api, ex, entity_set(target), std::move(items));
  };
  if (set.name == "Assets" && (nav == "Files" || nav == "Locators"))
    return many(nav.c_str(), api.store.children(api.account.name, nav, id));
  if (set.name == "Assets" && nav == "ParentAssets") return many("Assets", {});
  if (set.name == "Jobs" && nav == "Tasks")
    return many("Tasks", api.store.children(api.account.name, "Tasks", id));
  if ((set.name == "Jobs" || set.name == "Tasks") && nav == "InputMediaAssets")
    return many("Assets", assets_by_id(api, entity["_inputs"]));
  if ((set.name == "Jobs" || set.name == "Tasks") && nav == "OutputMediaAssets")
    return many("Assets", assets_by_id(api, entity["_outputs"]));
  if (set.name == "Locators" && nav == "AccessPolicy")
    return single(api, ex, entity_set("AccessPolicies"),
                  require(api, "AccessPolicies", entity["AccessPolicyId"]));
  if (set.name == "Locators" && nav == "Asset")
    return single(api, ex, entity_set("Assets"), require(api, "Assets", entity["AssetId"]));
  if (set.name == "Files" && nav == "ParentAsset")
    return single(api, ex, entity_set("Assets"), require(api, "Assets", entity["ParentAssetId"]));
  if (const Property* p = set.property(nav))
    return json_response(ex, 200, property_body(api.format, set, *p, entity),
                         content_type(api.format.verbose));
  throw not_found("The type '" + set.type + "' has no navigation or property '" + nav + "'");
}

Json create(Api& api, const EntitySet& set, const Json& body) {
  Json fields = read_body(set, body);
  if (set.name == "Assets") return create_asset(api, fields);
  if (set.name == "Files") return create_file(api, fields);
  if (set.name == "AccessPolicies") return create_access_policy(api, fields);
  if (set.name == "Locators") return create_locator(api, fields, body);
  if (set.name == "Jobs") return create_job(api, fields, body);
  throw MediaError(405, "MethodNotAllowed", set.name + " cannot be created");
}

void update(Api& api, const EntitySet& set, Json& entity, const Json& body) {
  Json fields = read_body(set, body);
  if (set.name == "Files") return merge_file(api, entity, fields);
  if (set.name == "Locators") return merge_locator(api, entity, fields);
  if (set.name == "Assets") {
    merge_fields(set, entity, fields, {"Name", "AlternateId"}, {"Options", "StorageAccountName"});
    entity["LastModified"] = now_ms();
    return api.store.update(api.account.name, "Assets", entity);
  }
  throw MediaError(405, "MethodNotAllowed", set.name + " cannot be updated");
}

void remove(Api& api, http::Exchange& ex, const EntitySet& set, const Json& entity) {
  http::Target target(ex.request.target());
  if (set.name == "Assets")
    return delete_asset(api, entity, target.param_or("keepcontainer", "false") == "true");
  if (set.name == "Locators") return delete_locator(api, entity, false);
  if (set.name == "Jobs") {
    int state = entity["State"];
    if (state != job_state::finished && state != job_state::error && state != job_state::canceled)
      throw bad_request("The job is still running; cancel it before deleting it");
    for (const auto& t : api.store.children(api.account.name, "Tasks", entity["Id"]))
      api.store.remove(api.account.name, "Tasks", t["Id"]);
  }
  if (set.name == "MediaProcessors" || set.name == "Tasks")
    throw MediaError(405, "MethodNotAllowed", set.name + " cannot be deleted");
  api.store.remove(api.account.name, set.name, entity["Id"]);
}

http::Response function_call(Api& api, http::Exchange& ex, const std::string& name) {
  http::Target target(ex.request.target());
  if (name == "CreateFileInfos") {
    auto id = target.param("assetid");
    if (!id) throw bad_request("CreateFileInfos needs the parameter assetid");
    create_file_infos(api, unquote(*id));
    return no_content(ex);
  }
  auto id = target.param("jobid");
  if (!id) throw bad_request("CancelJob needs the parameter jobid");
  cancel_job(api, unquote(*id));
  return no_content(ex);
}

}  // namespace

http::Response route_api(Api& api, http::Exchange& ex, std::string_view rest) {
  std::string method = method_of(ex);
  if (rest.empty() || rest == "/")
    return json_response(ex, 200, service_document(api.format), content_type(api.format.verbose));
  if (rest == "$metadata")
    return json_response(ex, 200, metadata_document(), "application/xml;charset=utf-8");
  Resource r = parse_resource(rest);
  if (r.set == "CreateFileInfos" || r.set == "CancelJob") return function_call(api, ex, r.set);
  const EntitySet* set = find_entity_set(r.set);
  if (!set) throw not_found("Resource not found for the segment '" + r.set + "'");
  if (!r.key) {
    if (r.sub == "$count" && method == "GET")
      return json_response(ex, 200, std::to_string(list_of(api, r.set).size()),
                           "text/plain;charset=utf-8");
    if (!r.sub.empty()) throw not_found("Resource not found for the segment '" + r.sub + "'");
    if (method == "GET") return collection(api, ex, *set, list_of(api, r.set));
    if (method == "POST") return single(api, ex, *set, create(api, *set, parse_json_body(ex)), 201);
    throw MediaError(405, "MethodNotAllowed", method + " is not allowed on " + r.set);
  }
  Json entity = entity_of(api, r.set, *r.key);
  if (!r.sub.empty()) {
    if (method != "GET") throw MediaError(405, "MethodNotAllowed", method + " is not allowed here");
    return navigate(api, ex, *set, entity, r.sub);
  }
  if (method == "GET") return single(api, ex, *set, entity);
  if (method == "MERGE" || method == "PATCH" || method == "PUT") {
    update(api, *set, entity, parse_json_body(ex));
    return no_content(ex);
  }
  if (method == "DELETE") {
    remove(api, ex, *set, entity);
    return no_content(ex);
  }
  throw MediaError(405, "MethodNotAllowed", method + " is not allowed on " + r.set);
}

}  // namespace twin::media
