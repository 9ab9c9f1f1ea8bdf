// `twinorigin front`: the failover front (traffic manager and CDN) before two or more origins.
#include <unistd.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/commands.h"
#include "cli/ready_file.h"
#include "client/profiles.h"
#include "common/log.h"
#include "common/strings.h"
#include "dashboard/dashboard_handler.h"
#include "dashboard/viewer_listener.h"
#include "front/front_service.h"
#include "front/status_report.h"
#include "http/server.h"

namespace twin::cli {
namespace {
namespace net = boost::asio;

struct FrontOptions {
  std::string config_file, listen, admin_listen, admin_key, ready_file, profiles, drill_url;
  std::vector<std::string> origins;
  unsigned threads = 0;  // 0: one per core, at most 4
};

front::FrontConfig build_config(const FrontOptions& options) {
  front::FrontConfig cfg;
  if (!options.config_file.empty()) cfg = front::load_front_config(options.config_file);
  if (!options.listen.empty()) cfg.listen = config::parse_endpoint(options.listen);
  if (!options.admin_listen.empty())
    cfg.admin_listen = config::parse_endpoint(options.admin_listen);
  if (!options.admin_key.empty()) cfg.admin_key = options.admin_key;
  if (!options.profiles.empty()) cfg.profiles = options.profiles;
  // --origin flags come after the file's origins, in the order given.
  for (const auto& flag : options.origins) {
    int priority = cfg.origins.empty() ? 0 : cfg.origins.back().priority + 1;
    cfg.origins.push_back(front::parse_origin_flag(flag, priority));
  }
  if (cfg.origins.empty())
    throw std::runtime_error("no origin: give --origin NAME=URL or origins in the config file");
  return cfg;
}

std::vector<client::DataCenterProfile> dashboard_profiles(const front::FrontConfig& cfg) {
  std::vector<client::DataCenterProfile> list;
  if (cfg.profiles.empty()) return list;
  for (const auto& [name, profile] : client::load_profiles(cfg.profiles)) list.push_back(profile);
  return list;
}

// What the dashboard page may fetch besides the front: the origins (to play from one directly),
// the storage services (uploads through a SAS URL), and with steering every pathway and steering
// server (a steered player moves to them).
std::vector<std::string> dashboard_sources(const front::FrontConfig& cfg,
                                           const std::vector<client::DataCenterProfile>& dcs) {
  std::vector<std::string> sources;
  for (const auto& o : cfg.origins) sources.push_back(str::url_origin(o.url));
  if (cfg.steering.enabled()) sources.push_back(str::url_origin(cfg.steering.server));
  for (const auto& p : cfg.steering.pathways) {
    sources.push_back(str::url_origin(p.base));
    if (!p.steering.empty()) sources.push_back(str::url_origin(p.steering));
  }
  for (const auto& dc : dcs) {
    sources.push_back(str::url_origin(dc.storage_url));
    if (!dc.streaming_url.empty()) sources.push_back(str::url_origin(dc.streaming_url));
  }
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
  return sources;
}

std::string listen_url(const config::Endpoint& endpoint, uint16_t port) {
  return "http://" + endpoint.host + ":" + std::to_string(port);
}

int run_front(const FrontOptions& options) {
  auto cfg = build_config(options);
  unsigned threads =
      options.threads ? options.threads : std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  http::IoPool pool(threads);
  http::Server server(pool, config::HttpLimits{}, 1);
  front::FrontService service(cfg, pool);
  auto profiles = dashboard_profiles(cfg);
  std::unique_ptr<dashboard::MediaPoller> poller;
  if (!profiles.empty()) poller = std::make_unique<dashboard::MediaPoller>(profiles);
  dashboard::StatusHistory history(service.state(), service.state().scheduler());
  std::unique_ptr<dashboard::ReplicationVerifier> verifier;
  if (!profiles.empty())
    verifier =
        std::make_unique<dashboard::ReplicationVerifier>(dashboard::verify_between(profiles));
  dashboard::DashboardApi api(service.state(), history, poller.get(), verifier.get());
  dashboard::DrillActions drill(service.state(), options.drill_url);
  std::unique_ptr<dashboard::UploadPipeline> uploads;
  if (!profiles.empty()) uploads = std::make_unique<dashboard::UploadPipeline>(profiles);
  auto handler = std::make_shared<dashboard::DashboardHandler>(
      service.handler(), api, drill, uploads.get(), dashboard_sources(cfg, profiles));
  std::string url, admin_url;
  if (cfg.admin_listen) {
    url = listen_url(cfg.listen,
                     server.listen("front", cfg.listen,
                                   std::make_shared<dashboard::ViewerListener>(service.handler())));
    admin_url =
        listen_url(*cfg.admin_listen, server.listen("front-admin", *cfg.admin_listen, handler));
  } else {
    url = admin_url = listen_url(cfg.listen, server.listen("front", cfg.listen, handler));
  }
  api.set_viewer_url(url);
  server.add_metrics([&service] { return front::metrics_text(service.state()); });
  if (verifier) server.add_metrics([&verifier] { return verifier->metrics_text(); });
  server.start();
  service.start();
  net::post(pool.first(), [&history] { history.start(); });
  if (poller) poller->start();
  if (verifier) verifier->start();
  std::cout << "twinorigin front " << url << "\n";
  for (const auto& o : service.state().origins())
    std::cout << "  origin " << o->config.name << " " << o->config.url << " (priority "
              << o->config.priority << ", weight " << o->config.weight << ")\n";
  if (cfg.admin_listen)
    std::cout << "  admin " << admin_url << " (dashboard, /front/status, /front/api/)\n";
  std::cout << "  dashboard " << admin_url << "/dashboard/"
            << (poller ? " (data centers from " + cfg.profiles + ")" : "") << "\n";
  std::cout << "press Ctrl-C to stop" << std::endl;
  if (!options.ready_file.empty()) {
    nlohmann::json ready = {{"pid", ::getpid()},
                            {"front", url},
                            {"admin", admin_url},
                            {"dashboard", admin_url + "/dashboard/"},
                            {"origins", nlohmann::json::array()}};
    for (const auto& o : service.state().origins())
      ready["origins"].push_back({{"name", o->config.name}, {"url", o->config.url}});
    write_ready_file(options.ready_file, ready);
  }
  log::info("started", {{"front", url}});
  boost::asio::signal_set signals(pool.first(), SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec) return;
    log::info("stopping", {{"signal", std::to_string(sig)}});
    service.stop();
    history.stop();
    server.stop([&pool] { pool.stop(); });
  });
  pool.start();
  pool.join();
  if (poller) poller->stop();
  if (verifier) verifier->stop();
  log::info("stopped");
  return 0;
}

}  // namespace

void add_front(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<FrontOptions>();
  auto* cmd = app.add_subcommand(
      "front",
      "Run the failover front (traffic manager and cache) before the origins until Ctrl-C");
  cmd->add_option("--config", options->config_file, "TOML file with a [front] section");
  cmd->add_option("--listen", options->listen, "Listen address HOST:PORT (default 127.0.0.1:8900)");
  cmd->add_option("--origin", options->origins,
                  "Origin NAME=URL, repeatable, in priority order (the first is the primary)");
  cmd->add_option("--admin-listen", options->admin_listen,
                  "Serve the dashboard and the admin API on this HOST:PORT only (default: on "
                  "--listen)");
  cmd->add_option("--admin-key", options->admin_key,
                  "Key for POST /front/origins/{name}/drain and /enable (Authorization: Bearer)");
  cmd->add_option("--profiles", options->profiles,
                  "Data center profiles (as replicate's) for the dashboard's media API reads");
  cmd->add_option("--drill-url", options->drill_url,
                  "The demo's drill controller, for the dashboard's kill, hang, 503, slow and "
                  "restore buttons (set by twinorigin demo)");
  cmd->add_option("--threads", options->threads, "I/O threads (default: one per core, at most 4)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--ready-file", options->ready_file,
                  "Write the bound endpoint as JSON to this file once it listens");
  cmd->callback([options, &exit_code] {
    try {
      exit_code = run_front(*options);
    } catch (const std::exception& e) {
      log::error("front_failed", {{"cause", e.what()}});
      std::cerr << "twinorigin front: " << e.what() << std::endl;
      exit_code = 1;
    }
  });
}

}  // namespace twin::cli
