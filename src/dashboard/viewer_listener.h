// The viewers' listener of a front that has an admin listener (`[front] admin_listen`): viewer
// requests and the steering manifest go on to the front; the dashboard and the front's own API
// (/dashboard/, /front/api/…, /front/status, /front/origins/…, /front/steering/…) answer 404
// there. What those show (assets, URLs, health) and do is then reachable only where the operator
// put the admin listener, typically a private address.
#pragma once

#include <memory>
#include <string_view>

#include "http/server.h"

namespace twin::dashboard {

class ViewerListener : public http::Handler {
 public:
  explicit ViewerListener(std::shared_ptr<http::Handler> front) : front_(std::move(front)) {}

  static bool admin_only(std::string_view target);

  uint64_t plan_body(http::Exchange& exchange) override;
  http::Response handle(http::Exchange& exchange) override;
  bool asynchronous() const override { return true; }
  boost::asio::awaitable<http::Response> handle_async(http::Exchange& exchange) override;
  http::Response error_response(http::Exchange& exchange, unsigned status, const std::string& code,
                                const std::string& message) override;

 private:
  http::Response refuse(http::Exchange& exchange);

  std::shared_ptr<http::Handler> front_;
};

}  // namespace twin::dashboard
