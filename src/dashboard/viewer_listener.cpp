#include "dashboard/viewer_listener.h"

#include "dashboard/dashboard_handler.h"
#include "front/proxy.h"

// GCC 12's false -Wmismatched-new-delete on Asio coroutine frames (see front/proxy.cpp).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace twin::dashboard {

bool ViewerListener::admin_only(std::string_view target) {
  return DashboardHandler::is_dashboard(target) || front::is_admin_target(target);
}

uint64_t ViewerListener::plan_body(http::Exchange& ex) {
  if (admin_only(ex.request.target())) return 64 << 10;  // read, then refused with 404
  return front_->plan_body(ex);
}

http::Response ViewerListener::refuse(http::Exchange& ex) {
  ex.log_cause = "viewer listener: " + std::string(ex.request.target()) +
                 " is served on the admin listener only";
  return front_->error_response(ex, 404, "NotFound", "No such resource.");
}

http::Response ViewerListener::handle(http::Exchange& ex) {
  if (admin_only(ex.request.target())) return refuse(ex);
  return front_->handle(ex);
}

boost::asio::awaitable<http::Response> ViewerListener::handle_async(http::Exchange& ex) {
  if (admin_only(ex.request.target())) co_return refuse(ex);
  co_return co_await front_->handle_async(ex);
}

http::Response ViewerListener::error_response(http::Exchange& ex, unsigned status,
                                              const std::string& code, const std::string& message) {
  return front_->error_response(ex, status, code, message);
}

}  // namespace twin::dashboard
