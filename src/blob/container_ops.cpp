// Service- and container-level operations.
#include <algorithm>
#include <pugixml.hpp>
#include <sstream>

#include "blob/cors.h"
#include "blob/errors.h"
#include "blob/names.h"
#include "blob/ops.h"
#include "blob/xml_format.h"
#include "common/strings.h"
#include "http/conditions.h"

namespace twin::blob::ops {
namespace {

size_t max_results(const Call& call) {
  auto text = call.target.param("maxresults");
  if (!text) return 5000;
  size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(*text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text->size() || n < 1)
    throw errors::invalid_query("maxresults", *text, "must be a positive integer");
  return static_cast<size_t>(std::min<long long>(n, 5000));
}

bool includes(const Call& call, std::string_view what) {
  std::string include = call.target.param_or("include", "");  // outlives the views split makes
  for (auto part : str::split(include, ','))
    if (str::iequals(str::trim(part), what)) return true;
  return false;
}

// The include= values a listing knows. Those for things that never exist here (snapshots,
// versions, deleted blobs, tags, immutability, legal holds, system containers) are accepted:
// the listing is then exactly what the service would list. Others are refused.
void check_includes(const Call& call, std::initializer_list<std::string_view> known) {
  std::string include = call.target.param_or("include", "");
  for (auto part : str::split(include, ',')) {
    auto value = str::trim(part);
    bool ok = value.empty();
    for (auto k : known) ok = ok || str::iequals(value, k);
    if (!ok) {
      call.exchange.log_cause = "unknown include value '" + std::string(value) + "'";
      throw errors::invalid_query("include", include, "unknown value");
    }
  }
}

std::string public_access_header(const Call& call) {
  std::string value = str::to_lower(call.header("x-ms-blob-public-access"));
  if (!value.empty() && value != "container" && value != "blob")
    throw errors::invalid_header("x-ms-blob-public-access", value);
  return value;
}

// Container writes honour If-Modified-Since and If-Unmodified-Since (the ETag conditions are
// refused before the operation runs, as the service does not evaluate them on containers).
void check_container_dates(const Call& call, const ContainerRecord& c) {
  http::ConditionHeaders h{
      {}, {}, call.request["if-modified-since"], call.request["if-unmodified-since"]};
  if (http::evaluate(h, true, quoted(c.etag), c.last_modified, false) ==
      http::Precondition::failed) {
    call.exchange.log_cause = "container date condition not met";
    throw errors::condition_not_met();
  }
}

void add_container_headers(http::Response& res, const ContainerRecord& c) {
  res.set("ETag", quoted(c.etag));
  res.set("Last-Modified", timefmt::rfc1123(c.last_modified));
}

}  // namespace

ContainerRecord require_container(Backend& b, const Call& call) {
  auto c = b.meta.container(call.account, call.container);
  if (!c) throw errors::container_not_found();
  return *c;
}

http::Response list_containers(Backend& b, Call& call) {
  xmlfmt::ListContainersArgs args;
  args.service_endpoint = b.public_url + "/" + call.account + "/";
  args.prefix = call.target.param_or("prefix", "");
  args.marker = call.target.param_or("marker", "");
  args.max_results = max_results(call);
  check_includes(call, {"metadata", "deleted", "system"});
  args.include_metadata = includes(call, "metadata");
  auto containers =
      b.meta.list_containers(call.account, args.prefix, args.marker, args.max_results + 1);
  if (containers.size() > args.max_results) {
    args.next_marker = containers[args.max_results].name;
    containers.resize(args.max_results);
  }
  auto res = make_response(call, 200);
  set_xml(res, xmlfmt::list_containers(args, containers));
  return res;
}

http::Response service_properties(Backend& b, Call& call) {
  auto res = make_response(call, 200);
  set_xml(res, "<?xml version=\"1.0\" encoding=\"utf-8\"?><StorageServiceProperties>" +
                   b.meta.service_cors(call.account) +
                   "<DefaultServiceVersion>2021-10-04</DefaultServiceVersion>"
                   "</StorageServiceProperties>");
  return res;
}

// Only the CORS rules are kept. Logging, metrics, soft delete and static websites are not
// implemented: a body that turns one on is refused rather than answered 202 and ignored.
http::Response set_service_properties(Backend& b, Call& call) {
  const std::string& body = call.request.body().memory;
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) throw errors::invalid_xml("The body is not XML.");
  pugi::xml_node root = doc.child("StorageServiceProperties");
  if (!root) throw errors::invalid_xml("The body needs a StorageServiceProperties element.");
  for (pugi::xml_node child : root.children()) {
    std::string name = child.name();
    if (name == "Cors") continue;
    if (name == "DefaultServiceVersion") {
      if (std::string(child.child_value()) != "2021-10-04")
        throw StorageError(400, "InvalidXmlNodeValue",
                           "This service keeps DefaultServiceVersion 2021-10-04.",
                           {{"XmlNodeName", name}, {"XmlNodeValue", child.child_value()}});
      continue;
    }
    // Logging is on when it logs anything; the others say Enabled.
    bool on = std::string(child.child_value("Enabled")) == "true";
    for (const char* what : {"Read", "Write", "Delete"})
      on = on || (name == "Logging" && std::string(child.child_value(what)) == "true");
    if (on) {
      call.exchange.log_cause = name + " is not implemented";
      throw StorageError(400, "InvalidXmlNodeValue", name + " is not supported by this service.",
                         {{"XmlNodeName", name}, {"XmlNodeValue", "true"}});
    }
  }
  if (pugi::xml_node cors = root.child("Cors")) {
    std::ostringstream text;
    cors.print(text, "", pugi::format_raw);
    b.meta.set_service_cors(call.account, cors_xml(parse_cors(text.str())));
  }
  return make_response(call, 202);
}

http::Response account_info(Backend&, Call& call) {
  auto res = make_response(call, 200);
  res.set("x-ms-sku-name", "Standard_LRS");
  res.set("x-ms-account-kind", "StorageV2");
  res.set("x-ms-is-hns-enabled", "false");
  return res;
}

http::Response create_container(Backend& b, Call& call) {
  if (auto problem = names::container_problem(call.container)) {
    call.exchange.log_cause = "bad container name: " + *problem;
    if (call.container.size() < 3 || call.container.size() > 63)
      throw StorageError(400, "OutOfRangeInput",
                         "The specified resource name length is not within the permissible "
                         "limits.");
    throw StorageError(400, "InvalidResourceName",
                       "The specified resource name contains invalid characters.");
  }
  ContainerRecord c;
  c.account = call.account;
  c.name = call.container;
  c.etag = new_etag();
  c.last_modified = call.now;
  c.public_access = public_access_header(call);
  c.metadata = request_metadata(call);
  if (!b.meta.create_container(c)) throw errors::container_already_exists();
  auto res = make_response(call, 201);
  add_container_headers(res, c);
  return res;
}

http::Response container_properties(Backend& b, Call& call) {
  auto c = require_container(b, call);
  auto res = make_response(call, 200);
  add_container_headers(res, c);
  add_metadata_headers(res, c.metadata);
  res.set("x-ms-lease-status", "unlocked");
  res.set("x-ms-lease-state", "available");
  res.set("x-ms-has-immutability-policy", "false");
  res.set("x-ms-has-legal-hold", "false");
  if (!c.public_access.empty()) res.set("x-ms-blob-public-access", c.public_access);
  return res;
}

http::Response set_container_metadata(Backend& b, Call& call) {
  auto c = require_container(b, call);
  check_container_dates(call, c);
  c.metadata = request_metadata(call);
  c.etag = new_etag();
  c.last_modified = call.now;
  b.meta.set_container_metadata(c.id, c.metadata, c.etag, c.last_modified);
  auto res = make_response(call, 200);
  add_container_headers(res, c);
  return res;
}

http::Response get_container_acl(Backend& b, Call& call) {
  auto c = require_container(b, call);
  auto res = make_response(call, 200);
  add_container_headers(res, c);
  if (!c.public_access.empty()) res.set("x-ms-blob-public-access", c.public_access);
  set_xml(res, xmlfmt::signed_identifiers(c.acl));
  return res;
}

http::Response set_container_acl(Backend& b, Call& call) {
  auto c = require_container(b, call);
  check_container_dates(call, c);
  auto acl = xmlfmt::parse_signed_identifiers(call.request.body().memory);
  for (const auto& p : acl) {
    if ((!p.start.empty() && !timefmt::parse_iso8601(p.start)) ||
        (!p.expiry.empty() && !timefmt::parse_iso8601(p.expiry)))
      throw errors::invalid_xml("A Start or Expiry of policy " + p.id +
                                " is not an ISO 8601 date.");
  }
  c.etag = new_etag();
  c.last_modified = call.now;
  b.meta.set_container_acl(c.id, public_access_header(call), acl, c.etag, c.last_modified);
  auto res = make_response(call, 200);
  add_container_headers(res, c);
  return res;
}

http::Response delete_container(Backend& b, Call& call) {
  auto c = require_container(b, call);
  check_container_dates(call, c);
  b.files.remove(b.meta.delete_container(c.id));
  return make_response(call, 202);
}

http::Response list_blobs(Backend& b, Call& call) {
  auto c = require_container(b, call);
  xmlfmt::ListBlobsArgs args;
  args.service_endpoint = b.public_url + "/" + call.account + "/";
  args.container = c.name;
  args.prefix = call.target.param_or("prefix", "");
  args.marker = call.target.param_or("marker", "");
  args.delimiter = call.target.param_or("delimiter", "");  // empty means none (rclone sends it)
  args.max_results = max_results(call);
  check_includes(
      call, {"metadata", "copy", "uncommittedblobs", "snapshots", "deleted", "tags", "versions",
             "deletedwithversions", "immutabilitypolicy", "legalhold", "permissions"});
  args.include_metadata = includes(call, "metadata");
  args.include_copy = includes(call, "copy");
  auto page = b.meta.list_blobs(c.id, args.prefix, args.delimiter, args.marker, args.max_results,
                                includes(call, "uncommittedblobs"));
  auto res = make_response(call, 200);
  set_xml(res, xmlfmt::list_blobs(args, page));
  return res;
}

}  // namespace twin::blob::ops
