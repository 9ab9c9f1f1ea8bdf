#include "cli/demo_drill_control.h"

#include <signal.h>

#include <boost/beast/http/verb.hpp>

#include "common/log.h"
#include "http/client.h"
#include "http/json_response.h"

namespace twin::cli {
namespace bhttp = boost::beast::http;
using http::Response;

using http::json_error;
using http::json_response;

std::string to_string(DrillState state) {
  switch (state) {
    case DrillState::running:
      return "running";
    case DrillState::killed:
      return "killed";
    case DrillState::hung:
      return "hung";
    case DrillState::unavailable:
      return "503";
    case DrillState::slow:
      return "slow";
  }
  return "running";
}

DemoDrillControl::DemoDrillControl(DemoCluster& cluster, std::string admin_key)
    : cluster_(cluster), admin_key_(std::move(admin_key)) {
  states_["A"] = states_["B"] = DrillState::running;
}

DemoDrillControl::~DemoDrillControl() {
  stop();
}

std::string DemoDrillControl::start() {
  pool_ = std::make_unique<http::IoPool>(1);
  server_ = std::make_unique<http::Server>(*pool_, config::HttpLimits{}, 2);
  // A non-owning pointer: the server stops (in stop()) before this object goes.
  std::shared_ptr<http::Handler> self(std::shared_ptr<http::Handler>{}, this);
  uint16_t port = server_->listen("drill", {"127.0.0.1", 0}, self);
  server_->start();
  pool_->start();
  return "http://127.0.0.1:" + std::to_string(port);
}

void DemoDrillControl::stop() {
  if (!server_) return;
  server_->stop([this] { pool_->stop(); });
  pool_->join();
  server_.reset();
  pool_.reset();
}

uint64_t DemoDrillControl::plan_body(http::Exchange& ex) {
  ex.blocking = true;  // a restart waits for the child to be ready
  return 0;
}

Response DemoDrillControl::error_response(http::Exchange&, unsigned status, const std::string& code,
                                          const std::string& message) {
  return json_error(status, code, message);
}

nlohmann::json DemoDrillControl::states_json() const {
  std::lock_guard lock(mutex_);
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, state] : states_) j[name] = to_string(state);
  return j;
}

Response DemoDrillControl::handle(http::Exchange& ex) {
  if (ex.request[bhttp::field::authorization] != "Bearer " + admin_key_) {
    ex.log_cause = "drill: wrong or missing admin key";
    return json_error(401, "Unauthorized", "The admin key is missing or wrong.");
  }
  std::string_view target = ex.request.target();
  if (target == "/drill" && ex.request.method() == bhttp::verb::get)
    return json_response(200,
                         {{"states", states_json()}, {"builtin_drill", builtin_running_.load()}});
  if (!target.starts_with("/drill/") || ex.request.method() != bhttp::verb::post) {
    ex.log_cause = "drill: no such action";
    return json_error(404, "NotFound", "POST /drill/{A|B}/{kill|hang|503|slow|restore}");
  }
  std::string_view rest = target.substr(7);
  auto slash = rest.find('/');
  std::string name(rest.substr(0, slash));
  std::string action(slash == std::string_view::npos ? "" : rest.substr(slash + 1));
  DemoDataCenter* dc = name == "A" ? &cluster_.a() : name == "B" ? &cluster_.b() : nullptr;
  if (!dc) return json_error(404, "NotFound", "No data center is named " + name + ".");
  if (builtin_running_) {
    ex.log_cause = "drill: the demo's own drill is running";
    return json_error(409, "Conflict",
                      "The demo's own outage drill is running; try again after it.");
  }
  std::lock_guard lock(mutex_);
  return act(ex, *dc, action);
}

void DemoDrillControl::set_origin_fault(DemoDataCenter& dc, const std::string& query) {
  http::Client client(std::chrono::seconds(5));
  auto res = client.send({"POST",
                          dc.streaming_url + "/faults?" + query,
                          {{"Authorization", "Bearer " + dc.fault_key}},
                          {}});
  if (res.status != 200)
    throw std::runtime_error("origin " + dc.name + " refused the fault: " + res.body);
}

// Under mutex_.
Response DemoDrillControl::act(http::Exchange& ex, DemoDataCenter& dc, const std::string& action) {
  DrillState& state = states_[dc.name];
  DrillState before = state;
  if (action != "restore" && state != DrillState::running) {
    ex.log_cause = "drill: " + dc.name + " is " + to_string(state);
    return json_error(409, "Conflict",
                      "Data center " + dc.name + " is " + to_string(state) + ": restore it first.");
  }
  try {
    if (action == "kill") {
      dc.process.kill();
      state = DrillState::killed;
    } else if (action == "hang") {
      dc.process.signal(SIGSTOP);
      state = DrillState::hung;
    } else if (action == "503") {
      set_origin_fault(dc, "mode=503");
      state = DrillState::unavailable;
    } else if (action == "slow") {
      set_origin_fault(dc, "mode=slow&delay_ms=3000");
      state = DrillState::slow;
    } else if (action == "restore") {
      if (state == DrillState::killed) dc.start();
      if (state == DrillState::hung) dc.process.signal(SIGCONT);
      if (state == DrillState::unavailable || state == DrillState::slow)
        set_origin_fault(dc, "mode=off");
      state = DrillState::running;
    } else {
      ex.log_cause = "drill: unknown action " + action;
      return json_error(404, "NotFound", "Actions: kill, hang, 503, slow, restore.");
    }
  } catch (const std::exception& e) {
    ex.log_cause = std::string("drill: ") + e.what();
    return json_error(502, "DrillFailed", e.what());
  }
  log::warn("drill_action", {{"datacenter", dc.name},
                             {"action", action},
                             {"from", to_string(before)},
                             {"to", to_string(state)}});
  return json_response(200, {{"datacenter", dc.name}, {"state", to_string(state)}});
}

}  // namespace twin::cli
