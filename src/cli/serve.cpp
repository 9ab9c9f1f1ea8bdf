// twinorigin serve: one data center (storage, media API, streaming origin) until SIGINT or SIGTERM.
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>
#include <iostream>
#include <thread>

#include "blob/service.h"
#include "cli/commands.h"
#include "cli/ready_file.h"
#include "common/config.h"
#include "common/log.h"
#include "http/fault_injection.h"
#include "http/server.h"
#include "media/media_service.h"
#include "origin/origin_service.h"
#include "store/sqlite.h"

namespace twin::cli {
namespace {

struct ServeOptions {
  std::string config_file, data_dir, storage, media, streaming, streaming_base, ready_file;
  std::string fault_key;  // enables drill faults on the streaming listener (http/fault_injection.h)
  std::vector<std::string> accounts, media_accounts;
  unsigned job_workers = 0;  // 0: as configured
};

config::Config build_config(const ServeOptions& o) {
  config::Config c =
      o.config_file.empty() ? config::development_default() : config::load_file(o.config_file);
  if (!o.data_dir.empty()) c.data_dir = o.data_dir;
  if (!o.storage.empty()) c.storage.listen = config::parse_endpoint(o.storage);
  if (!o.accounts.empty()) {
    c.storage.accounts.clear();
    for (const auto& a : o.accounts) c.storage.accounts.push_back(config::parse_account(a));
  }
  if (!o.media.empty()) c.media.listen = config::parse_endpoint(o.media);
  if (!o.streaming.empty()) c.streaming.listen = config::parse_endpoint(o.streaming);
  if (!o.streaming_base.empty()) c.media.streaming_base = o.streaming_base;
  if (o.job_workers) c.media.job_workers = o.job_workers;
  if (!o.media_accounts.empty()) {
    c.media.accounts.clear();
    for (const auto& a : o.media_accounts)
      c.media.accounts.push_back(config::parse_media_account(a));
  }
  for (auto& a : c.media.accounts)
    if (a.storage_account.empty()) a.storage_account = c.storage.accounts.front().name;
  return c;
}

unsigned thread_count(const config::Config& c) {
  if (c.threads > 0) return c.threads;
  // Blocking handlers run on their own pool; two I/O threads per core measured best for small
  // requests (a thread that stalls on a lock or a page fault leaves another to run).
  return std::max(2u, 2 * std::thread::hardware_concurrency());
}

media::MediaSettings media_settings(const config::Config& cfg, const std::string& storage_url,
                                    const std::string& streaming_url) {
  media::MediaSettings m;
  for (const auto& a : cfg.media.accounts) m.accounts.push_back({a.name, a.key, a.storage_account});
  m.public_url = cfg.media.public_url;
  m.streaming_base = cfg.media.streaming_base.empty() ? streaming_url : cfg.media.streaming_base;
  while (m.streaming_base.ends_with("/")) m.streaming_base.pop_back();
  m.storage_url = cfg.media.storage_url.empty() ? storage_url : cfg.media.storage_url;
  m.storage_accounts = cfg.storage.accounts;
  m.token_lifetime_seconds = cfg.media.token_lifetime_seconds;
  m.job_workers = cfg.media.job_workers ? cfg.media.job_workers
                                        : std::max(1u, std::thread::hardware_concurrency() / 8);
  m.work_dir = cfg.data_dir + "/jobs";
  m.x264_preset = cfg.media.x264_preset;
  m.x264_threads = cfg.media.x264_threads;
  return m;
}

// What --ready-file announces: every listener's URL and the accounts behind it.
nlohmann::json ready_json(const config::Config& cfg, const std::string& storage_url,
                          const std::string& streaming_url, const media::MediaSettings* media,
                          bool streaming) {
  nlohmann::json ready = {{"pid", ::getpid()},
                          {"data_dir", cfg.data_dir},
                          {"storage", storage_url},
                          {"storage_accounts", nlohmann::json::array()}};
  for (const auto& a : cfg.storage.accounts) ready["storage_accounts"].push_back(a.name);
  if (streaming) ready["streaming"] = streaming_url;
  if (media) {
    ready["media"] = media->public_url;
    ready["media_accounts"] = nlohmann::json::array();
    for (const auto& a : media->accounts)
      ready["media_accounts"].push_back({{"name", a.name},
                                         {"storage_account", a.storage_account},
                                         {"api", media->public_url + "/" + a.name + "/api/"}});
  }
  return ready;
}

int run_serve(const ServeOptions& options) {
  config::Config cfg = build_config(options);
  std::filesystem::create_directories(cfg.data_dir);
  store::Database db(cfg.data_dir + "/meta.sqlite");
  http::IoPool pool(thread_count(cfg));
  http::Server server(pool, cfg.http);
  auto storage = std::make_shared<blob::BlobService>(cfg, db);
  uint16_t port = server.listen("storage", cfg.storage.listen, storage);
  storage->start(cfg.storage.listen.host, port);
  auto media_db = std::make_unique<store::Database>(cfg.data_dir + "/media.sqlite");
  media::EntityStore entities(*media_db);
  std::shared_ptr<origin::OriginService> streaming;
  std::string streaming_url =
      "http://" + cfg.streaming.listen.host + ":" + std::to_string(cfg.streaming.listen.port);
  if (cfg.streaming.enabled) {
    streaming = std::make_shared<origin::OriginService>(
        storage->backend(),
        [&entities](const std::string& guid) {
          std::optional<origin::Publication> out;
          if (auto l = media::find_origin_locator(entities, guid))
            out = origin::Publication{l->storage_account, l->container, l->start_ms, l->expiry_ms};
          return out;
        },
        cfg.streaming.steering);
    std::shared_ptr<http::FaultInjection> faults;
    if (!options.fault_key.empty())
      faults = std::make_shared<http::FaultInjection>(options.fault_key);
    uint16_t streaming_port =
        server.listen("streaming", cfg.streaming.listen, streaming, std::move(faults));
    streaming_url = "http://" + cfg.streaming.listen.host + ":" + std::to_string(streaming_port);
  }
  std::shared_ptr<media::MediaService> media_api;
  if (cfg.media.enabled) {
    media_api = std::make_shared<media::MediaService>(
        media_settings(cfg, storage->public_url(), streaming_url), entities);
    uint16_t media_port = server.listen("media", cfg.media.listen, media_api);
    media_api->start(cfg.media.listen.host, media_port);
  }
  server.start();

  std::cout << "twinorigin data center is up (data in " << cfg.data_dir << ")\n"
            << "storage " << storage->public_url() << "\n";
  for (const auto& a : cfg.storage.accounts)
    std::cout << "  account " << a.name << ": BlobEndpoint=" << storage->public_url() << "/"
              << a.name << ";AccountName=" << a.name << "\n";
  if (streaming) std::cout << "streaming " << streaming_url << "\n";
  if (media_api) {
    std::cout << "media " << media_api->settings().public_url << "\n";
    for (const auto& a : media_api->settings().accounts)
      std::cout << "  media account " << a.name << " (storage " << a.storage_account << "): API "
                << media_api->settings().public_url << "/" << a.name << "/api/\n";
  }
  std::cout << "press Ctrl-C to stop" << std::endl;
  if (!options.ready_file.empty())
    write_ready_file(options.ready_file, ready_json(cfg, storage->public_url(), streaming_url,
                                                    media_api ? &media_api->settings() : nullptr,
                                                    streaming != nullptr));
  log::info("started", {{"storage", storage->public_url()}});

  boost::asio::signal_set signals(pool.first(), SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec) return;
    log::info("stopping", {{"signal", std::to_string(sig)}});
    server.stop([&pool] { pool.stop(); });
  });
  pool.start();
  pool.join();
  if (media_api) media_api->stop();
  storage->stop();
  log::info("stopped");
  return 0;
}

}  // namespace

void add_serve(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand("serve", "Run one data center (storage service) until Ctrl-C");
  cmd->add_option("--config", options->config_file, "TOML configuration file");
  cmd->add_option("--data", options->data_dir, "Data directory (default ./data)");
  cmd->add_option("--storage", options->storage,
                  "Storage listen address HOST:PORT (default 127.0.0.1:10000)");
  cmd->add_option("--storage-account", options->accounts,
                  "Storage account NAME:KEY[:KEY2] (repeatable)");
  cmd->add_option("--media", options->media,
                  "Media API listen address HOST:PORT (default 127.0.0.1:8700)");
  cmd->add_option("--media-account", options->media_accounts,
                  "Media account NAME:KEY[:STORAGE_ACCOUNT] (repeatable)");
  cmd->add_option("--streaming", options->streaming,
                  "Streaming origin listen address HOST:PORT (default 127.0.0.1:8800)");
  cmd->add_option("--streaming-base", options->streaming_base,
                  "Public base URL of the origin, used in origin locator Paths");
  cmd->add_option("--ready-file", options->ready_file,
                  "Write the bound endpoints as JSON to this file once everything listens");
  cmd->add_option("--fault-key", options->fault_key,
                  "Let a caller with this key make the origin answer 503 or slowly "
                  "(POST /faults?mode=503|slow|off on its listener), for outage drills");
  cmd->add_option("--job-workers", options->job_workers,
                  "Encoding jobs run at once (default: one per 8 cores)")
      ->check(CLI::Range(1, 256));
  cmd->callback([options, &exit_code] {
    try {
      exit_code = run_serve(*options);
    } catch (const std::exception& e) {
      log::error("serve_failed", {{"cause", e.what()}});
      std::cerr << "twinorigin serve: " << e.what() << std::endl;
      exit_code = 1;
    }
  });
}

}  // namespace twin::cli
