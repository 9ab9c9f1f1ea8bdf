// `twinorigin verify`: whether published assets of A are replicated in B, item by item (blobs,
// file entities, locator, every streaming URL through both origins). A table; exit 1 on any
// difference.
#include <cstdio>
#include <iostream>

#include "cli/client_setup.h"
#include "cli/commands.h"
#include "client/verifier.h"

namespace twin::cli {
namespace {

struct VerifyOptions {
  PairOptions pair;
  Selection selection;
};

void print_table(const client::Verification& v) {
  std::cout << "locator " << v.locator << ": " << v.source_asset << " -> "
            << (v.target_asset.empty() ? "(none)" : v.target_asset) << "\n";
  for (const auto& c : v.checks) {
    char line[64];
    std::snprintf(line, sizeof line, "  %-22s %-9s ", c.item.c_str(),
                  c.same           ? "same"
                  : c.inconclusive ? "NO ANSWER"
                                   : "DIFFERENT");
    std::cout << line << c.detail << "\n";
  }
}

int run_verify(const VerifyOptions& options) {
  ConnectedPair pair(options.pair);
  client::Verifier verifier(pair.a(), pair.b(),
                            [](const std::string& line) { std::cerr << "  " << line << "\n"; });
  std::vector<client::Verification> results;
  if (!options.selection.locator.empty())
    results.push_back(verifier.verify_locator(options.selection.locator));
  else if (!options.selection.asset.empty())
    results = verifier.verify_asset(options.selection.asset);
  else
    results = verifier.verify_all();
  size_t different = 0;
  for (const auto& v : results) {
    print_table(v);
    different += !v.same();
  }
  std::cout << results.size() - different << " of " << results.size()
            << " published assets replicated identically in " << options.pair.to << std::endl;
  return different ? 1 : 0;
}

}  // namespace

void add_verify(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<VerifyOptions>();
  auto* cmd = app.add_subcommand(
      "verify",
      "Compare published assets of one data center with their replicas in another: blobs, "
      "files, locator and every streaming URL; exit 1 on any difference");
  add_pair_options(*cmd, options->pair);
  add_selection_options(*cmd, options->selection, "Every live origin locator in the source");
  cmd->callback([options, &exit_code] {
    if (options->selection.empty()) throw CLI::RequiredError("one of --asset, --locator or --all");
    exit_code = run_client_command("verify", [&] { return run_verify(*options); });
  });
}

}  // namespace twin::cli
