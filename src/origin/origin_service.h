// The streaming endpoint of one data center: resolves an origin locator to its asset, packages
// the asset's MP4s on request into Smooth, HLS and DASH (manifests cached, segments built as a
// small header plus byte ranges of the source file), and serves progressive downloads. Every
// response is a pure function of the asset's files, so two data centers answer alike.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "blob/backend.h"
#include "common/steering_config.h"
#include "http/server.h"
#include "origin/asset_cache.h"
#include "origin/origin_url.h"

namespace twin::origin {

// What an origin locator publishes, as the media API knows it.
struct Publication {
  std::string storage_account;
  std::string container;
  std::optional<int64_t> start_ms;  // unix milliseconds
  int64_t expiry_ms = 0;
};
using PublicationLookup = std::function<std::optional<Publication>(const std::string& guid)>;

class OriginService : public http::Handler {
 public:
  // steering: the deployment's content steering setting; off (no pathways) leaves manifests
  // with relative URLs.
  OriginService(blob::Backend& storage, PublicationLookup lookup, config::Steering steering = {});

  uint64_t plan_body(http::Exchange& exchange) override;
  http::Response handle(http::Exchange& exchange) override;
  http::Response error_response(http::Exchange& exchange, unsigned status, const std::string& code,
                                const std::string& message) override;

 private:
  std::optional<Publication> publication(const std::string& guid);
  http::Response serve_file(http::Exchange& ex, const Publication& pub, const std::string& name);
  http::Response serve_packaged(http::Exchange& ex, const Publication& pub,
                                const OriginRequest& req);

  blob::Backend& storage_;
  PublicationLookup lookup_;
  config::Steering steering_;
  AssetCache assets_;
  std::mutex locators_mutex_;
  struct CachedLocator {
    std::optional<Publication> publication;
    std::chrono::steady_clock::time_point fetched;
  };
  std::map<std::string, CachedLocator> locators_;
};

}  // namespace twin::origin
