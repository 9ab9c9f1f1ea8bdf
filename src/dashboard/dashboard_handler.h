// The front's listener with the dashboard in it: GET /dashboard/ (the page and the players,
// from the binary) and the page's JSON under /front/api/; every other request goes on to the
// front's own handler (viewers, /front/status, the admin API), unchanged.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <memory>
#include <string>

#include "dashboard/dashboard_api.h"
#include "dashboard/drill_actions.h"
#include "dashboard/upload_pipeline.h"
#include "http/server.h"
#include "http/target.h"

namespace twin::dashboard {

class DashboardHandler : public http::Handler {
 public:
  // connect_sources: the other origins the page may fetch from (the data centers' origins and
  // storage), for its Content-Security-Policy; everything else is the front's own.
  // uploads: null without data center profiles.
  DashboardHandler(std::shared_ptr<http::Handler> front, DashboardApi& api, DrillActions& drill,
                   UploadPipeline* uploads, const std::vector<std::string>& connect_sources);

  uint64_t plan_body(http::Exchange& exchange) override;
  http::Response handle(http::Exchange& exchange) override;
  bool asynchronous() const override { return true; }
  boost::asio::awaitable<http::Response> handle_async(http::Exchange& exchange) override;
  http::Response error_response(http::Exchange& exchange, unsigned status, const std::string& code,
                                const std::string& message) override;

  static bool is_dashboard(std::string_view target);

 private:
  http::Response page_file(http::Exchange& exchange);
  http::Response api(http::Exchange& exchange);
  http::Response verify_again(http::Exchange& exchange, const http::Target& target);
  boost::asio::awaitable<http::Response> drill(http::Exchange& exchange);
  boost::asio::awaitable<http::Response> upload(http::Exchange& exchange);
  // Runs fn (which waits on a data center) on the blocking pool, not the I/O thread.
  boost::asio::awaitable<http::Response> offload(std::function<http::Response()> fn);

  std::shared_ptr<http::Handler> front_;
  DashboardApi& api_;
  DrillActions& drill_;
  UploadPipeline* uploads_;
  boost::asio::thread_pool blocking_{2};
  std::string content_security_policy_;
};

}  // namespace twin::dashboard
