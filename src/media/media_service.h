// The Media Services v2 REST surface of one data center: ACS-style tokens, the global entry
// that redirects to an account's API root, and the OData API of each media account. Entities
// persist in SQLite; assets live in the storage service, reached over the Blob REST API.
#pragma once

#include <memory>
#include <string>

#include "http/server.h"
#include "media/api.h"
#include "media/job_runner.h"

namespace twin::media {

class MediaService : public http::Handler {
 public:
  // The entity table is shared with the streaming origin of the process (locator lookups).
  MediaService(MediaSettings settings, EntityStore& store);
  ~MediaService() override;

  // After the port is bound: the public URL becomes http://host:port unless configured; then the
  // job runner starts, re-queuing jobs a previous run left unfinished.
  void start(const std::string& host, uint16_t port);
  void stop();
  const MediaSettings& settings() const { return settings_; }
  EntityStore& entities() { return store_; }

  uint64_t plan_body(http::Exchange& exchange) override;
  http::Response handle(http::Exchange& exchange) override;
  http::Response error_response(http::Exchange& exchange, unsigned status, const std::string& code,
                                const std::string& message) override;

 private:
  http::Response token(http::Exchange& ex);
  http::Response redirect(http::Exchange& ex);
  http::Response account_api(http::Exchange& ex, const MediaAccount& account,
                             std::string_view rest);
  const MediaAccount* find_account(std::string_view name) const;
  const MediaAccount& authorize(http::Exchange& ex, const MediaAccount* expected) const;

  MediaSettings settings_;
  EntityStore& store_;
  JobRunner jobs_;
};

// The resource part of an API URL, after "/<account>/api/" (api_router.cpp).
http::Response route_api(Api& api, http::Exchange& ex, std::string_view rest);
http::Response json_response(http::Exchange& ex, unsigned status, const std::string& body,
                             const std::string& content_type);

}  // namespace twin::media
