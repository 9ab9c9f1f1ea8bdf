// What the client commands (replicate, verify) share: the --profiles/--from/--to options, the
// two connected data centers, and one way to report a failure.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "client/media_client.h"
#include "client/profiles.h"
#include "client/replicator.h"

namespace twin::cli {

struct PairOptions {
  std::string profiles, from, to;
};

void add_pair_options(CLI::App& cmd, PairOptions& options);

// Which published assets of the source a command acts on: --asset, --locator or --all.
struct Selection {
  std::string asset, locator;
  bool all = false;
  bool empty() const { return asset.empty() && locator.empty() && !all; }
};

// Adds the three options, each excluding the others; returns them for further exclusions.
std::vector<CLI::Option*> add_selection_options(CLI::App& cmd, Selection& selection,
                                                const std::string& all_help);

// Both data centers' profiles, with their media APIs connected (token and API root).
class ConnectedPair {
 public:
  // connect_now false: each media API connects on its first call instead.
  explicit ConnectedPair(const PairOptions& options, bool connect_now = true);
  client::DataCenter a() { return {profile_a_, media_a_}; }
  client::DataCenter b() { return {profile_b_, media_b_}; }

 private:
  client::Profiles profiles_;
  client::DataCenterProfile profile_a_, profile_b_;
  client::MediaClient media_a_, media_b_;
};

// Runs a client command; a refusal or a failure is one line on stderr and exit code 1.
int run_client_command(const std::string& name, const std::function<int()>& body);

}  // namespace twin::cli
