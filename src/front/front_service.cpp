#include "front/front_service.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "common/log.h"
#include "front/proxy.h"

namespace twin::front {
namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

void AsioScheduler::after(Duration delay, std::function<void()> fn) {
  auto timer = std::make_shared<net::steady_timer>(context_, delay);
  timer->async_wait([timer, fn = std::move(fn)](boost::system::error_code ec) {
    if (!ec) fn();
  });
}

namespace {

// One probe: a GET of the probe path on a new connection (so that a refused connect shows),
// passed by a 2xx or 3xx whose body arrives whole within the budget.
net::awaitable<ProbeResult> probe_once(std::shared_ptr<http::UpstreamPool> pool, std::string path) {
  auto started = Clock::now();
  std::string failure;
  try {
    auto exchange = co_await pool->open(true);
    http::UpstreamRequest request{"GET", path, {}};
    co_await exchange->start(request);
    while (!(co_await exchange->next()).empty()) {
    }
    unsigned status = exchange->status();
    if (status >= 200 && status < 400) co_return ProbeResult{true, Clock::now() - started, {}};
    failure = "status " + std::to_string(status);
  } catch (const http::UpstreamError& e) {
    failure = to_string(e.kind());
  } catch (const std::exception& e) {
    failure = e.what();
  }
  co_return ProbeResult{false, Clock::now() - started, failure};
}

}  // namespace

FrontService::FrontService(FrontConfig config, http::IoPool& io)
    : io_(io),
      scheduler_(io.first()),
      state_(std::make_unique<FrontState>(std::move(config), scheduler_)),
      handler_(std::make_shared<ProxyHandler>(*state_)) {
  const auto& c = state_->config();
  if (!c.cache_dir.empty() && !http::File::in_directory(c.cache_dir, "")) {
    throw std::runtime_error("front.cache_dir: cannot keep files in " + c.cache_dir + ": " +
                             std::strerror(errno));
  }
  http::UpstreamTimeouts probe_budget{c.probe_timeout, c.probe_timeout, c.probe_timeout};
  for (auto& origin : state_->origins()) {
    probe_pools_.push_back(
        http::UpstreamPool::create(origin->config.url, origin->config.host, probe_budget));
    Origin* o = origin.get();
    checkers_.push_back(std::make_unique<HealthChecker>(
        scheduler_, o->health, probe_with(probe_pools_.back()), c.probe_interval,
        [this, o](const HealthChange& change) { state_->health_changed(*o, change); }));
  }
  // Each steering pathway is probed at its base, as the players would reach it.
  if (SteeringServer* steering = state_->steering()) {
    for (auto& pathway : steering->pathways()) {
      if (!pathway->config.base.starts_with("http://")) {  // the upstream client speaks plain HTTP
        log::warn("pathway_not_probed", {{"pathway", pathway->config.id},
                                         {"cause", "only http:// bases are probed; it stays up"}});
        continue;
      }
      probe_pools_.push_back(http::UpstreamPool::create(pathway->config.base, "", probe_budget));
      SteeredPathway* p = pathway.get();
      checkers_.push_back(std::make_unique<HealthChecker>(
          scheduler_, p->health, probe_with(probe_pools_.back()), c.probe_interval,
          [this, p](const HealthChange& change) { state_->pathway_changed(*p, change); }));
    }
  }
}

FrontService::~FrontService() {
  stop();
}

Probe FrontService::probe_with(std::shared_ptr<http::UpstreamPool> pool) {
  std::string path = state_->config().probe_path;
  return [this, pool, path](std::function<void(ProbeResult)> done) {
    net::co_spawn(io_.first(), probe_once(pool, path),
                  [done](std::exception_ptr, ProbeResult result) { done(result); });
  };
}

void FrontService::start() {
  // On the scheduler's thread, as every later probe.
  net::post(io_.first(), [this] {
    for (auto& checker : checkers_) checker->start();
  });
}

// On the scheduler's thread (the signal handler's), or after the I/O threads ended.
void FrontService::stop() {
  for (auto& checker : checkers_) checker->stop();
}

}  // namespace twin::front
