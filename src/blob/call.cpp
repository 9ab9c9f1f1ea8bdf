#include "blob/call.h"

#include "blob/errors.h"
#include "blob/names.h"
#include "common/strings.h"

namespace twin::blob {
namespace bhttp = boost::beast::http;

namespace {
constexpr const char* kBaselineVersion = "2021-10-04";
}  // namespace

namespace {
// The Date header changes once a second; format it once a second per thread.
const std::string& current_date() {
  thread_local int64_t second = -1;
  thread_local std::string text;
  auto now = timefmt::now();
  int64_t s = timefmt::unix_micros(now) / 1'000'000;
  if (s != second) {
    second = s;
    text = timefmt::rfc1123(now);
  }
  return text;
}
}  // namespace

http::Response make_response(const Call& call, unsigned status) {
  http::Response res{static_cast<bhttp::status>(status), 11};
  res.set("x-ms-request-id", call.exchange.request_id);
  std::string version = call.header("x-ms-version");
  res.set("x-ms-version", version.empty() ? kBaselineVersion : version);
  res.set(bhttp::field::date, current_date());
  res.set(bhttp::field::server, "twinorigin-blob/0.1");
  if (call.has_header("x-ms-client-request-id"))
    res.set("x-ms-client-request-id", call.header("x-ms-client-request-id"));
  return res;
}

void set_xml(http::Response& res, std::string body) {
  res.set(bhttp::field::content_type, "application/xml");
  res.body().text = std::move(body);
}

Metadata request_metadata(const Call& call) {
  Metadata m;
  for (const auto& field : call.request) {
    std::string_view name = field.name_string();
    if (!str::istarts_with(name, "x-ms-meta-")) continue;
    std::string key(name.substr(10));
    if (!names::valid_metadata_name(key))
      throw StorageError(
          400, "InvalidMetadata",
          "The metadata specified is invalid. It has characters that are not permitted.",
          {{"MetadataName", key}});
    m.emplace_back(key, std::string(str::trim(field.value())));
  }
  return m;
}

void add_metadata_headers(http::Response& res, const Metadata& metadata) {
  for (const auto& [k, v] : metadata) res.insert("x-ms-meta-" + k, v);
}

std::string quoted(const std::string& etag) {
  return "\"" + etag + "\"";
}

}  // namespace twin::blob
