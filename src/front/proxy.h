// The front's viewer side: GET, HEAD and OPTIONS forwarded with their path and query, so that a
// front URL differs from an origin URL only in its host. A GET goes through the cache (one
// origin request per key at a time; Range and conditional requests answered from the whole
// object; a stale object when every origin fails); larger objects and other methods pass
// through. Every response says X-Cache (HIT or MISS) and X-Served-By (the origin's name).
// CMCD a player sends is read (qoe.h) and left out of the cache key and the origin request.
// Also: GET /front/status, the admin's POST /front/origins/{name}/drain and /enable, and with
// [streaming.steering] the steering manifest at the steering server's path (410 once retired by
// the admin's POST /front/steering/retire, until /resume; 429 over its request rate).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>

#include "front/cache.h"
#include "front/front_state.h"
#include "http/server.h"

namespace twin::front {

// The front's own API, not a viewer's request: /front/status, /front/origins/{name}/{action},
// /front/steering/{retire,resume}.
bool is_admin_target(std::string_view target);

class ProxyHandler : public http::Handler {
 public:
  explicit ProxyHandler(FrontState& state) : state_(state) {}

  uint64_t plan_body(http::Exchange&) override { return 0; }
  http::Response handle(http::Exchange& exchange) override;
  bool asynchronous() const override { return true; }
  boost::asio::awaitable<http::Response> handle_async(http::Exchange& exchange) override;
  http::Response error_response(http::Exchange& exchange, unsigned status, const std::string& code,
                                const std::string& message) override;

 private:
  boost::asio::awaitable<http::Response> cached_get(http::Exchange& exchange);
  boost::asio::awaitable<http::Response> fill_as_leader(http::Exchange& exchange,
                                                        const std::string& key);
  boost::asio::awaitable<Cache::Object> wait_for_leader(const std::string& key, bool& leader);
  boost::asio::awaitable<http::Response> pass_through(http::Exchange& exchange);
  http::Response from_cache(http::Exchange& exchange, const Cache::Object& object,
                            bool stale = false);
  http::Response admin(http::Exchange& exchange);
  std::optional<http::Response> refuse_unauthorized(http::Exchange& exchange);
  http::Response steering_admin(http::Exchange& exchange);
  // Reads the request's CMCD into the QoE figures; a malformed one is logged, never refused.
  void note_cmcd(http::Exchange& exchange, const http::Target& target);
  http::Response steer(http::Exchange& exchange, SteeringServer& steering,
                       const http::Target& target);

  FrontState& state_;
};

}  // namespace twin::front
