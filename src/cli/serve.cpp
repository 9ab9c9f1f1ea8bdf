// twinorigin serve: one data center (for now, its storage service) until SIGINT or SIGTERM.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>
#include <iostream>
#include <thread>

#include "blob/service.h"
#include "cli/commands.h"
#include "common/config.h"
#include "common/log.h"
#include "http/server.h"
#include "store/sqlite.h"

namespace twin::cli {
namespace {

struct ServeOptions {
  std::string config_file, data_dir, storage;
  std::vector<std::string> accounts;
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
  return c;
}

unsigned thread_count(const config::Config& c) {
  if (c.threads > 0) return c.threads;
  // Blocking handlers run on their own pool; two I/O threads per core measured best for small
  // requests (a thread that stalls on a lock or a page fault leaves another to run).
  return std::max(2u, 2 * std::thread::hardware_concurrency());
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
  server.start();

  std::cout << "twinorigin data center is up (data in " << cfg.data_dir << ")\n"
            << "storage " << storage->public_url() << "\n";
  for (const auto& a : cfg.storage.accounts)
    std::cout << "  account " << a.name << ": BlobEndpoint=" << storage->public_url() << "/"
              << a.name << ";AccountName=" << a.name << "\n";
  std::cout << "press Ctrl-C to stop" << std::endl;
  log::info("started", {{"storage", storage->public_url()}});

  boost::asio::signal_set signals(pool.first(), SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec) return;
    log::info("stopping", {{"signal", std::to_string(sig)}});
    server.stop([&pool] { pool.stop(); });
  });
  pool.start();
  pool.join();
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
