#include "cli/client_setup.h"

#include <iostream>

#include "client/blob_container.h"
#include "http/client.h"

namespace twin::cli {
namespace {

client::Profiles load(const PairOptions& options) {
  return client::load_profiles(options.profiles.empty() ? client::default_profiles_path()
                                                        : options.profiles);
}

const client::DataCenterProfile& named(const client::Profiles& profiles, const std::string& name,
                                       const PairOptions& options) {
  std::string source =
      options.profiles.empty() ? client::default_profiles_path() : options.profiles;
  return client::profile_named(profiles, name, source);
}

}  // namespace

void add_pair_options(CLI::App& cmd, PairOptions& options) {
  cmd.add_option("--profiles", options.profiles,
                 "Data center profiles (TOML; default ~/.config/twinorigin/datacenters.toml)");
  cmd.add_option("--from", options.from, "The source data center's name in the profiles")
      ->required();
  cmd.add_option("--to", options.to, "The target data center's name in the profiles")->required();
}

std::vector<CLI::Option*> add_selection_options(CLI::App& cmd, Selection& selection,
                                                const std::string& all_help) {
  auto* asset = cmd.add_option("--asset", selection.asset, "The asset Id in the source");
  auto* locator =
      cmd.add_option("--locator", selection.locator, "An origin locator Id in the source");
  auto* all = cmd.add_flag("--all", selection.all, all_help);
  asset->excludes(locator)->excludes(all);
  locator->excludes(all);
  return {asset, locator, all};
}

ConnectedPair::ConnectedPair(const PairOptions& options, bool connect_now)
    : profiles_(load(options)),
      profile_a_(named(profiles_, options.from, options)),
      profile_b_(named(profiles_, options.to, options)),
      media_a_(profile_a_),
      media_b_(profile_b_) {
  if (options.from == options.to)
    throw client::ProfileError("--from and --to name the same data center " + options.from);
  if (!connect_now) return;
  media_a_.connect();
  media_b_.connect();
}

int run_client_command(const std::string& name, const std::function<int()>& body) {
  try {
    return body();
  } catch (const client::ReplicationRefused& e) {
    std::cerr << "twinorigin " << name << ": refused: " << e.what() << std::endl;
  } catch (const http::ClientError& e) {
    std::cerr << "twinorigin " << name << ": a data center could not be reached: " << e.what()
              << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "twinorigin " << name << ": " << e.what() << std::endl;
  }
  return 1;
}

}  // namespace twin::cli
