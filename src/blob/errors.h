// The Blob service's error vocabulary: status, x-ms-error-code and the XML <Error> body.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace twin::blob {

class StorageError : public std::exception {
 public:
  StorageError(unsigned status, std::string code, std::string message,
               std::vector<std::pair<std::string, std::string>> details = {})
      : status_(status),
        code_(std::move(code)),
        message_(std::move(message)),
        details_(std::move(details)) {}
  unsigned status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<std::pair<std::string, std::string>>& details() const { return details_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  unsigned status_;
  std::string code_;
  std::string message_;
  std::vector<std::pair<std::string, std::string>> details_;  // extra elements, e.g. HeaderName
};

// The common errors, with the messages the service uses.
namespace errors {
StorageError container_not_found();
StorageError blob_not_found();
StorageError container_already_exists();
StorageError resource_not_found();
StorageError invalid_header(const std::string& name, const std::string& value);
StorageError invalid_query(const std::string& name, const std::string& value,
                           const std::string& reason);
StorageError missing_header(const std::string& name);
StorageError authentication_failed(const std::string& detail);
StorageError permission_mismatch();
StorageError condition_not_met();
StorageError invalid_range();
StorageError md5_mismatch(const std::string& sent, const std::string& computed);
StorageError invalid_xml(const std::string& detail);
StorageError unsupported_header(const std::string& name, const std::string& value);
StorageError unsupported_query(const std::string& name, const std::string& value);
StorageError tier_not_supported();
}  // namespace errors

// The XML body of an error response.
std::string error_xml(const StorageError& e, const std::string& request_id,
                      const std::string& time_iso);

}  // namespace twin::blob
