#include "blob/errors.h"

#include "common/xml.h"

namespace twin::blob {
namespace errors {

StorageError container_not_found() {
  return {404, "ContainerNotFound", "The specified container does not exist."};
}
StorageError blob_not_found() {
  return {404, "BlobNotFound", "The specified blob does not exist."};
}
StorageError container_already_exists() {
  return {409, "ContainerAlreadyExists", "The specified container already exists."};
}
StorageError resource_not_found() {
  return {404, "ResourceNotFound", "The specified resource does not exist."};
}
StorageError invalid_header(const std::string& name, const std::string& value) {
  return {400,
          "InvalidHeaderValue",
          "The value for one of the HTTP headers is not in the correct format.",
          {{"HeaderName", name}, {"HeaderValue", value}}};
}
StorageError invalid_query(const std::string& name, const std::string& value,
                           const std::string& reason) {
  return {400,
          "InvalidQueryParameterValue",
          "Value for one of the query parameters specified in the request URI is invalid.",
          {{"QueryParameterName", name}, {"QueryParameterValue", value}, {"Reason", reason}}};
}
StorageError missing_header(const std::string& name) {
  return {400,
          "MissingRequiredHeader",
          "An HTTP header that's mandatory for this request is not specified.",
          {{"HeaderName", name}}};
}
StorageError authentication_failed(const std::string& detail) {
  return {403,
          "AuthenticationFailed",
          "Server failed to authenticate the request. Make sure the value of Authorization header "
          "is formed correctly including the signature.",
          {{"AuthenticationErrorDetail", detail}}};
}
StorageError permission_mismatch() {
  return {403, "AuthorizationPermissionMismatch",
          "This request is not authorized to perform this operation using this permission."};
}
StorageError condition_not_met() {
  return {412, "ConditionNotMet",
          "The condition specified using HTTP conditional header(s) is not met."};
}
StorageError invalid_range() {
  return {416, "InvalidRange",
          "The range specified is invalid for the current size of the resource."};
}
StorageError md5_mismatch(const std::string& sent, const std::string& computed) {
  return {400,
          "Md5Mismatch",
          "The MD5 value specified in the request did not match with the MD5 value calculated by "
          "the server.",
          {{"UserSpecifiedMd5", sent}, {"ServerCalculatedMd5", computed}}};
}
StorageError invalid_xml(const std::string& detail) {
  return {400, "InvalidXmlDocument", "XML specified is not syntactically valid. " + detail};
}

StorageError unsupported_header(const std::string& name, const std::string& value) {
  return {400,
          "UnsupportedHeader",
          "One of the HTTP headers specified in the request is not supported.",
          {{"HeaderName", name}, {"HeaderValue", value}}};
}
StorageError unsupported_query(const std::string& name, const std::string& value) {
  return {400,
          "UnsupportedQueryParameter",
          "One of the query parameters specified in the request URI is not supported.",
          {{"QueryParameterName", name}, {"QueryParameterValue", value}}};
}
StorageError tier_not_supported() {
  return {409, "BlobAccessTierNotSupportedForAccountType",
          "Blob access tier is not supported on this storage account type."};
}

}  // namespace errors

std::string error_xml(const StorageError& e, const std::string& request_id,
                      const std::string& time_iso) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>";
  out += xml::escape(e.code());
  out += "</Code><Message>";
  out += xml::escape(e.message() + "\nRequestId:" + request_id + "\nTime:" + time_iso);
  out += "</Message>";
  for (const auto& [name, value] : e.details()) {
    out += "<" + name + ">";
    out += xml::escape(value);
    out += "</" + name + ">";
  }
  out += "</Error>";
  return out;
}

}  // namespace twin::blob
