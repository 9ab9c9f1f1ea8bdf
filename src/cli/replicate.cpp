// `twinorigin replicate`: the walkthrough's client program. Copies published assets from data
// center A into data center B over the media APIs and the Blob REST APIs only, and publishes
// them in B under the same locator Id, so the streaming URLs differ only in the host.
#include <atomic>
#include <cctype>
#include <chrono>
#include <csignal>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/client_setup.h"
#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "client/replicator.h"
#include "client/watcher.h"
#include "common/log.h"

namespace twin::cli {
namespace {

struct ReplicateOptions {
  PairOptions pair;
  Selection selection;
  bool json = false, watch = false;
  std::string interval = "10s";
  size_t parallel = 64;  // as CopyBatchOptions: the service queues what it cannot run yet
};

std::atomic<bool> g_stop{false};

// "10s", "500ms", "2m" → milliseconds; throws CLI::ValidationError.
std::chrono::milliseconds parse_interval(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  std::string unit = text.substr(digits);
  long long n = digits ? std::stoll(text.substr(0, digits)) : 0;
  long long scale = unit == "ms" ? 1 : unit == "s" || unit.empty() ? 1000 : unit == "m" ? 60000 : 0;
  if (n <= 0 || scale == 0 || n > 86400000 / scale)
    throw CLI::ValidationError("--interval", "a duration like 10s, 500ms or 2m, not " + text);
  return std::chrono::milliseconds(n * scale);
}

// Passes until SIGINT or SIGTERM, one every interval.
int run_watch(const ReplicateOptions& options) {
  ConnectedPair pair(options.pair, /*connect_now=*/false);  // a data center may be down now
  client::CopyBatchOptions copy;
  copy.parallel = options.parallel;
  client::ReplicationWatcher watcher(pair.a(), pair.b(), copy);
  auto interval = parse_interval(options.interval);
  std::signal(SIGINT, [](int) { g_stop = true; });
  std::signal(SIGTERM, [](int) { g_stop = true; });
  log::info("watch_started", {{"from", options.pair.from},
                              {"to", options.pair.to},
                              {"interval_ms", std::to_string(interval.count())}});
  while (!g_stop) {
    watcher.pass();
    auto until = std::chrono::steady_clock::now() + interval;
    while (!g_stop && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  log::info("watch_stopped");
  return 0;
}

nlohmann::json result_json(const client::ReplicationResult& r) {
  return {{"locator", r.locator_id},
          {"source_asset", r.source_asset},
          {"target_asset", r.target_asset},
          {"manifest", r.manifest},
          {"url_a", r.url_a},
          {"url_b", r.url_b},
          {"already_replicated", r.already_replicated},
          {"copied", r.copied},
          {"kept", r.kept},
          {"bytes_copied", r.bytes_copied},
          {"copy_seconds", r.copy_seconds}};
}

void print_result(const client::ReplicationResult& r, const PairOptions& pair) {
  if (r.already_replicated)
    std::cout << "already replicated: " << r.source_asset << " (locator " << r.locator_id << ")\n";
  else
    std::cout << "replicated " << r.source_asset << " to " << r.target_asset << ": "
              << r.copied.size() << " blobs copied (" << human_bytes(r.bytes_copied) << "), "
              << r.kept.size() << " already there\n";
  std::cout << "  " << pair.from << ": " << r.url_a << "\n  " << pair.to << ": " << r.url_b
            << std::endl;
}

int run_replicate(const ReplicateOptions& options) {
  ConnectedPair pair(options.pair);
  CopyProgressBar bar;
  std::ostream& steps = options.json ? std::cerr : std::cout;
  client::ReplicatorEvents events{
      [&](const std::string& line) {
        bar.finish();
        steps << "  " << line << std::endl;
      },
      [&](const std::vector<client::BlobCopy>& copies) { bar.update(copies); }};
  client::CopyBatchOptions copy;
  copy.parallel = options.parallel;
  client::Replicator replicator(pair.a(), pair.b(), events, copy);
  std::vector<client::ReplicationResult> results;
  if (!options.selection.locator.empty()) {
    results.push_back(replicator.replicate_locator(options.selection.locator));
  } else if (!options.selection.asset.empty()) {
    results = replicator.replicate_asset(options.selection.asset);
  } else {
    for (const auto& l : client::live_origin_locators(pair.a().media)) {
      steps << "locator " << l.id << " (asset " << l.asset_id << ")" << std::endl;
      results.push_back(replicator.replicate_locator(l.id));
    }
  }
  bar.finish();
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : results) out.push_back(result_json(r));
    std::cout << out.dump(2) << std::endl;
  } else {
    for (const auto& r : results) print_result(r, options.pair);
    if (results.empty()) std::cout << "no live origin locator in " << options.pair.from << "\n";
  }
  return 0;
}

}  // namespace

void add_replicate(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ReplicateOptions>();
  auto* cmd = app.add_subcommand(
      "replicate",
      "Copy published assets from one data center to another and publish them there under the "
      "same locator Id (the failover walkthrough)");
  add_pair_options(*cmd, options->pair);
  auto selection = add_selection_options(*cmd, options->selection,
                                         "Every asset with a live origin locator in the source");
  auto* watch = cmd->add_flag("--watch", options->watch,
                              "Replicate continuously: new origin locators, new files, deleted "
                              "locators (until Ctrl-C)");
  for (auto* o : selection) watch->excludes(o);
  cmd->add_option("--interval", options->interval, "Time between --watch passes (default 10s)");
  cmd->add_flag("--json", options->json, "Print the results as JSON (steps go to stderr)");
  cmd->add_option("--parallel", options->parallel,
                  "Copies started and not yet done (default 64; the service runs "
                  "storage.copy_workers of them at a time and queues the rest)")
      ->check(CLI::Range(1, 256));
  cmd->callback([options, &exit_code] {
    if (options->watch) {
      parse_interval(options->interval);
      exit_code = run_client_command("replicate", [&] { return run_watch(*options); });
      return;
    }
    if (options->selection.empty())
      throw CLI::RequiredError("one of --asset, --locator, --all or --watch");
    exit_code = run_client_command("replicate", [&] { return run_replicate(*options); });
  });
}

}  // namespace twin::cli
