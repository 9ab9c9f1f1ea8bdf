// One Blob request after routing: which account, container, blob and operation it names, how it
// was authorised, and the helpers that build responses in the service's shape.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "blob/operation.h"
#include "blob/records.h"
#include "blob/sas.h"
#include "http/server.h"
#include "http/target.h"

namespace twin::blob {

enum class AuthKind { shared_key, service_sas, account_sas, anonymous, internal };

struct Call {
  http::Exchange& exchange;
  http::Request& request;
  http::Target target;
  std::string account, container, blob;
  Level level = Level::service;
  Op op = Op::unknown;
  AuthKind auth = AuthKind::anonymous;
  std::optional<SasToken> sas;
  // False for a SAS that grants create but not write: it may make a new blob, never replace one.
  bool may_overwrite = true;
  timefmt::Instant now;

  explicit Call(http::Exchange& ex)
      : exchange(ex), request(ex.request), target(ex.request.target()) {}
  std::string header(std::string_view name) const { return std::string(request[name]); }
  bool has_header(std::string_view name) const { return request.find(name) != request.end(); }
};

// A response with the headers every Blob response carries (request id, version, date).
http::Response make_response(const Call& call, unsigned status);
// Adds Content-Type: application/xml and the body.
void set_xml(http::Response& res, std::string body);
// x-ms-meta-* headers of the request, case kept; throws InvalidMetadata on a bad name.
Metadata request_metadata(const Call& call);
void add_metadata_headers(http::Response& res, const Metadata& metadata);
// ETag header value: the stored etag in quotes.
std::string quoted(const std::string& etag);

}  // namespace twin::blob
