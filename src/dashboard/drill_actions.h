// The drill panel's actions, behind the admin key and refused from other sites:
//   POST /front/api/drill/{origin}/drain | enable    the front's own admin actions (any deployment)
//   POST /front/api/drill/{origin}/kill | hang | 503 | slow | restore
//        forwarded to the demo's drill controller (`front --drill-url`), which acts on the data
//        center's real process; without a controller these are refused (409)
//   GET  /front/api/drill     which actions there are, and each data center's state
// The forward is asynchronous (the front's pooled upstream client): a restart that takes seconds
// holds no I/O thread.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>

#include "front/front_state.h"
#include "http/server.h"
#include "http/upstream.h"

namespace twin::dashboard {

class DrillActions {
 public:
  // drill_url: the demo's controller, or empty.
  DrillActions(front::FrontState& state, std::string drill_url);

  boost::asio::awaitable<http::Response> states(http::Exchange& exchange);
  boost::asio::awaitable<http::Response> act(http::Exchange& exchange, const std::string& origin,
                                             const std::string& action);
  // Why an action request is refused (403 from another site, 401 without the key), or nothing.
  std::optional<http::Response> refuse(http::Exchange& exchange) const;

 private:
  http::Response front_action(http::Exchange& exchange, front::Origin& origin, bool drain);
  // The controller's answer to one request: its status and JSON body.
  boost::asio::awaitable<std::pair<unsigned, std::string>> forward(const std::string& method,
                                                                   const std::string& target);

  front::FrontState& state_;
  std::string drill_url_;
  std::shared_ptr<http::UpstreamPool> controller_;
};

}  // namespace twin::dashboard
