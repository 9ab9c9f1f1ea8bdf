#include "dashboard/drill_actions.h"

#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include "common/log.h"
#include "front/status_report.h"
#include "http/json_response.h"

// GCC 12 reports an Asio coroutine frame's sized operator delete as mismatched with its unsized
// operator new after inlining (a false positive, GCC PR middle-end/109224), as in front/proxy.cpp.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace twin::dashboard {
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using http::json_error;
using http::json_response;
using http::Response;
using nlohmann::json;

namespace {

const char* const kProcessActions[] = {"kill", "hang", "503", "slow", "restore"};

bool process_action(const std::string& action) {
  for (const char* a : kProcessActions)
    if (action == a) return true;
  return false;
}

}  // namespace

DrillActions::DrillActions(front::FrontState& state, std::string drill_url)
    : state_(state), drill_url_(std::move(drill_url)) {
  // A restart waits for the data center to be ready (up to 30 s in the demo).
  if (!drill_url_.empty())
    controller_ = http::UpstreamPool::create(
        drill_url_, "",
        {std::chrono::milliseconds(1000), std::chrono::seconds(45), std::chrono::seconds(5)});
}

std::optional<Response> DrillActions::refuse(http::Exchange& ex) const {
  // A browser names the page's origin on every POST (Fetch: Origin, Sec-Fetch-Site); a page of
  // another site may not act, with or without the key.
  std::string_view origin = ex.request[bhttp::field::origin];
  std::string_view site = ex.request["Sec-Fetch-Site"];
  std::string own = "http://" + std::string(ex.request[bhttp::field::host]);
  if ((!origin.empty() && origin != own) ||
      (!site.empty() && site != "same-origin" && site != "none")) {
    ex.log_cause = "dashboard action refused: from another site (Origin " + std::string(origin) +
                   ", Sec-Fetch-Site " + std::string(site) + ")";
    return json_error(403, "CrossSiteRequest", "Actions are taken only from this front's page.");
  }
  const std::string& key = state_.config().admin_key;
  if (key.empty()) {
    ex.log_cause = "dashboard action refused: the front has no admin key";
    return json_error(403, "ActionsDisabled", "This front was started without an admin key.");
  }
  if (ex.request[bhttp::field::authorization] != "Bearer " + key) {
    ex.log_cause = "dashboard action refused: wrong or missing admin key";
    auto res = json_error(401, "Unauthorized", "The admin key is missing or wrong.");
    res.set(bhttp::field::www_authenticate, "Bearer");
    return res;
  }
  return std::nullopt;
}

net::awaitable<std::pair<unsigned, std::string>> DrillActions::forward(const std::string& method,
                                                                       const std::string& target) {
  auto exchange = co_await controller_->open();
  http::UpstreamRequest request{method, target, {}};
  request.headers.emplace_back("Authorization", "Bearer " + state_.config().admin_key);
  co_await exchange->start(request);
  std::string body;
  for (;;) {
    std::string_view piece = co_await exchange->next();
    if (piece.empty()) break;
    if (body.size() + piece.size() > (64u << 10)) throw std::runtime_error("answer too large");
    body.append(piece);
  }
  co_return std::pair{exchange->status(), body};
}

net::awaitable<Response> DrillActions::states(http::Exchange& ex) {
  json origins = json::array();
  for (auto& o : state_.origins())
    origins.push_back({{"name", o->config.name},
                       {"drained", o->drained.load()},
                       {"state", front::to_string(o->health.state())}});
  json body = {{"origins", origins},
               {"front_actions", {"drain", "enable"}},
               {"process_actions", json::array()},
               {"controller", !drill_url_.empty()},
               {"processes", nullptr}};
  if (controller_) {
    body["process_actions"] = kProcessActions;
    try {
      auto [status, text] = co_await forward("GET", "/drill");
      json answer = json::parse(text, nullptr, false);
      if (status == 200 && answer.is_object()) body["processes"] = answer;
    } catch (const std::exception& e) {
      ex.log_cause = std::string("drill controller: ") + e.what();
    }
  }
  co_return json_response(200, body);
}

Response DrillActions::front_action(http::Exchange&, front::Origin& origin, bool drain) {
  origin.drained = drain;
  log::info(drain ? "origin_drained" : "origin_enabled",
            {{"origin", origin.config.name}, {"by", "dashboard"}});
  return http::json_text_response(200, front::origin_json(state_, origin));
}

net::awaitable<Response> DrillActions::act(http::Exchange& ex, const std::string& name,
                                           const std::string& action) {
  front::Origin* origin = state_.find(name);
  if (!origin) {
    ex.log_cause = "dashboard action: no origin " + name;
    co_return json_error(404, "NotFound", "No origin is named " + name + ".");
  }
  if (action == "drain" || action == "enable")
    co_return front_action(ex, *origin, action == "drain");
  if (!process_action(action)) {
    ex.log_cause = "dashboard action: unknown action " + action;
    co_return json_error(404, "NotFound",
                         "Actions: drain, enable, kill, hang, 503, slow, restore.");
  }
  if (!controller_) {
    ex.log_cause = "dashboard action: no drill controller";
    co_return json_error(409, "NoDrillController",
                         "Process drills need the demo (front --drill-url); use drain and enable.");
  }
  std::string failure;
  try {
    auto [status, text] = co_await forward("POST", "/drill/" + name + "/" + action);
    if (status != 200) ex.log_cause = "drill controller answered " + std::to_string(status);
    log::info("dashboard_drill",
              {{"origin", name}, {"action", action}, {"status", std::to_string(status)}});
    co_return http::json_text_response(status, text);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  ex.log_cause = "drill controller unreachable: " + failure;
  co_return json_error(502, "DrillControllerUnreachable", failure);
}

}  // namespace twin::dashboard
