// The demo's drill controller: what the dashboard's drill panel acts through. It runs in the
// demo process, which owns the data centers' `serve` children, on a loopback port the front is
// given (`front --drill-url`), and takes, with the front's admin key:
//   POST /drill/{A|B}/kill      SIGKILL the data center's process
//   POST /drill/{A|B}/hang      SIGSTOP it
//   POST /drill/{A|B}/503       its origin answers 503 (its /faults, serve --fault-key)
//   POST /drill/{A|B}/slow      its origin holds each request 3 s
//   POST /drill/{A|B}/restore   restart (same ports and data), SIGCONT, or faults off
//   GET  /drill                 each data center's state
// Actions run one at a time; a second fault on a faulted data center is refused (409) until it
// is restored, and so is every action while the demo's own drill runs.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "cli/demo_cluster.h"
#include "http/io_pool.h"
#include "http/server.h"

namespace twin::cli {

enum class DrillState { running, killed, hung, unavailable, slow };
std::string to_string(DrillState state);  // "running", "killed", "hung", "503", "slow"

class DemoDrillControl : public http::Handler {
 public:
  DemoDrillControl(DemoCluster& cluster, std::string admin_key);
  ~DemoDrillControl() override;

  // Listens on a free loopback port; returns "http://127.0.0.1:PORT".
  std::string start();
  void stop();
  // While the demo's own drill runs, the panel's actions are refused.
  void set_builtin_drill_running(bool running) { builtin_running_ = running; }

  uint64_t plan_body(http::Exchange& exchange) override;
  http::Response handle(http::Exchange& exchange) override;
  http::Response error_response(http::Exchange& exchange, unsigned status, const std::string& code,
                                const std::string& message) override;

 private:
  http::Response act(http::Exchange& exchange, DemoDataCenter& dc, const std::string& action);
  void set_origin_fault(DemoDataCenter& dc, const std::string& query);
  nlohmann::json states_json() const;

  DemoCluster& cluster_;
  std::string admin_key_;
  std::atomic<bool> builtin_running_{false};
  mutable std::mutex mutex_;
  std::map<std::string, DrillState> states_;
  std::unique_ptr<http::IoPool> pool_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace twin::cli
