// The front as a whole: its shared state, the handler viewers talk to, and one health checker per
// origin probing it on the I/O pool's first thread. The composition root (the `front` command)
// only adds a listener and a signal handler.
#pragma once

#include <memory>
#include <vector>

#include "front/front_config.h"
#include "front/front_state.h"
#include "front/health_checker.h"
#include "front/scheduler.h"
#include "http/io_pool.h"
#include "http/server.h"

namespace twin::front {

// Real time and timers on an I/O context.
class AsioScheduler : public Scheduler {
 public:
  explicit AsioScheduler(boost::asio::io_context& context) : context_(context) {}
  TimePoint now() const override { return std::chrono::steady_clock::now(); }
  void after(Duration delay, std::function<void()> fn) override;

 private:
  boost::asio::io_context& context_;
};

class FrontService {
 public:
  FrontService(FrontConfig config, http::IoPool& io);
  ~FrontService();

  std::shared_ptr<http::Handler> handler() { return handler_; }
  FrontState& state() { return *state_; }
  void start();  // the first probes now
  void stop();

 private:
  Probe probe_with(std::shared_ptr<http::UpstreamPool> pool);

  http::IoPool& io_;
  AsioScheduler scheduler_;
  std::unique_ptr<FrontState> state_;
  std::shared_ptr<http::Handler> handler_;
  std::vector<std::shared_ptr<http::UpstreamPool>> probe_pools_;
  std::vector<std::unique_ptr<HealthChecker>> checkers_;
};

}  // namespace twin::front
