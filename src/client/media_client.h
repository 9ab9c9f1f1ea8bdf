// A Media Services v2 REST client, making the walkthrough's own calls: the ACS-style token from
// /v2/OAuth2-13, the 301 from the global entry to the account's API root, then OData v3 calls
// in verbose JSON with the headers the tutorial sends. Tokens are renewed on a 401.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "client/profiles.h"
#include "http/client.h"

namespace twin::client {

using Json = nlohmann::json;

// The API answered an unexpected status: the status and the OData error message.
struct MediaCallError : std::runtime_error {
  MediaCallError(unsigned status, const std::string& what)
      : std::runtime_error(what), status(status) {}
  unsigned status;
};

class MediaClient {
 public:
  // timeout: the longest silence of the API within one call (a poller wants a short one).
  explicit MediaClient(const DataCenterProfile& profile,
                       std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Gets a token and finds the account's API root. Throws MediaCallError or http::ClientError.
  void connect();
  const std::string& name() const { return name_; }
  const std::string& api_root() const { return api_root_; }

  struct Answer {
    unsigned status = 0;
    Json body;  // null when the body is empty or not JSON
    std::string text;
  };
  // method and a path relative to the API root ("Assets('…')/Files").
  Answer call(const std::string& method, const std::string& path, const Json* body = nullptr);

  // The verbose answer's d (an entity) or d.results (a feed). Throws MediaCallError.
  Json get(const std::string& path);
  Json create(const std::string& set, const Json& body);  // 201 → the entity
  void merge(const std::string& path, const Json& body);  // 204
  void remove(const std::string& path);                   // 204; a missing entity is fine

 private:
  Answer send(const std::string& method, const std::string& url, const Json* body);
  void fetch_token();

  std::string name_, media_api_, account_, key_;
  std::string token_, api_root_;
  http::Client http_;
};

// "('nb%3Acid%3AUUID%3A…')": an entity key in a URL path.
std::string entity_key(const std::string& id);
// The error message of an OData error body, or the raw text.
std::string odata_message(const MediaClient::Answer& answer);

}  // namespace twin::client
