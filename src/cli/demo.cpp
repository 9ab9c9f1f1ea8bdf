// `twinorigin demo [MEZZANINE]`: the whole failover scenario on one machine. Data centers A and B
// as `serve` child processes, a front before their origins, the walkthrough through the public
// APIs (upload, encode, publish, replicate under the same locator Id), the URLs to play, an
// outage drill through the front, then running until Ctrl-C.
#include <unistd.h>

extern "C" {
#include <libavutil/log.h>
}

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "cli/demo_cluster.h"
#include "cli/demo_drill.h"
#include "cli/demo_drill_control.h"
#include "cli/demo_walkthrough.h"
#include "cli/progress_bar.h"
#include "cli/ready_file.h"
#include "encode/test_mezzanine.h"

namespace twin::cli {
namespace {

struct DemoOptions {
  std::string mezzanine, keep, ready_file;
  bool no_drill = false;
  unsigned ports = 0;
  int seconds = 60;
};

std::atomic<bool> g_interrupted{false};

std::string make_root(const DemoOptions& options) {
  if (!options.keep.empty()) {
    std::filesystem::create_directories(options.keep);
    return std::filesystem::absolute(options.keep);
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "twinorigin-demo-XXXXXX");
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory");
  return pattern;
}

std::string generated_mezzanine(const std::string& root, int seconds) {
  std::string path = root + "/mezzanine.mp4";
  std::cout << "mezzanine: " << seconds
            << " s of 1080p with audio from libavfilter's testsrc2 and sine" << std::endl;
  ProgressLine line("generate");
  encode::make_test_mezzanine(path, {seconds, 1920, 1080, 25}, [&](double f) { line.update(f); });
  line.finish();
  return path;
}

void print_data_center(const DemoDataCenter& dc) {
  std::cout << "data center " << dc.name << " (pid " << dc.process.pid() << ", " << dc.dir
            << ")\n  storage   " << dc.storage_url << "/" << dc.storage_account << "\n  media API "
            << dc.media_url << "/" << dc.media_account << "/api/"
            << "\n  origin    " << dc.streaming_url << std::endl;
}

void print_urls(const DemoCluster& cluster, const client::ReplicationResult& r) {
  std::string path = r.url_a.substr(cluster.a().streaming_url.size());  // "/<guid>/x.ism/manifest"
  const std::pair<const char*, const char*> formats[] = {
      {"Smooth", ""}, {"HLS   ", "(format=m3u8-aapl)"}, {"DASH  ", "(format=mpd-time-csf)"}};
  const std::pair<std::string, std::string> hosts[] = {{"A", cluster.a().streaming_url},
                                                       {"B", cluster.b().streaming_url},
                                                       {"front", cluster.front_url()}};
  std::cout << "\nstreaming URLs (the same path everywhere; only the host differs):\n";
  for (const auto& [name, host] : hosts) {
    std::cout << "  " << name << "\n";
    for (const auto& [label, suffix] : formats)
      std::cout << "    " << label << " " << host << path << suffix << "\n";
  }
  std::cout << "play through the front with:\n  ffplay '" << cluster.front_url() << path
            << "(format=m3u8-aapl)'\n  ffplay '" << cluster.front_url() << path
            << "(format=mpd-time-csf)'\n"
            << "or paste an HLS or DASH URL into any hls.js, dash.js or shaka-player page (the "
               "origins send CORS headers)\n";
}

// What a test or a script needs to drive the running demo, without parsing the text above.
void write_demo_ready_file(const std::string& path, const DemoCluster& cluster,
                           const client::ReplicationResult& r) {
  std::string stream_path = r.url_a.substr(cluster.a().streaming_url.size());
  nlohmann::json datacenters = nlohmann::json::object();
  for (const DemoDataCenter* dc : {&cluster.a(), &cluster.b()})
    datacenters[dc->name] = {{"pid", dc->process.pid()},
                             {"dir", dc->dir},
                             {"storage", dc->storage_url + "/" + dc->storage_account},
                             {"storage_account", dc->storage_account},
                             {"storage_key", dc->storage_key},
                             {"media_api", dc->media_url + "/" + dc->media_account + "/api/"},
                             {"media_account", dc->media_account},
                             {"media_key", dc->media_key},
                             {"streaming", dc->streaming_url}};
  write_ready_file(path, {{"front", cluster.front_url()},
                          {"dashboard", cluster.dashboard_link()},
                          {"admin_key", cluster.front_admin_key()},
                          {"profiles", cluster.root() + "/datacenters.toml"},
                          {"locator", r.locator_id},
                          {"path", stream_path},
                          {"datacenters", datacenters}});
}

bool sleep_unless_interrupted(std::chrono::milliseconds duration) {
  auto until = std::chrono::steady_clock::now() + duration;
  while (!g_interrupted && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return !g_interrupted;
}

int run_demo(const DemoOptions& options) {
  av_log_set_level(AV_LOG_ERROR);  // libx264's and the AAC encoder's statistics are noise here
  std::signal(SIGINT, [](int) { g_interrupted = true; });
  std::signal(SIGTERM, [](int) { g_interrupted = true; });
  std::string root = make_root(options);
  int code = 0;
  {
    DemoCluster cluster(root, uint16_t(options.ports));
    DemoDrillControl drill_control(cluster, cluster.front_admin_key());
    try {
      cluster.set_drill_url(drill_control.start());
      cluster.start();
      print_data_center(cluster.a());
      print_data_center(cluster.b());
      std::cout << "front " << cluster.front_url() << " (origins A, then B)\n"
                << "dashboard " << cluster.dashboard_link() << std::endl;
      std::string mezzanine = options.mezzanine.empty()
                                  ? generated_mezzanine(root, options.seconds)
                                  : std::filesystem::absolute(options.mezzanine).string();
      DemoWalkthrough walkthrough(cluster, std::cout, g_interrupted);
      PublishedAsset published = walkthrough.upload_encode_publish(mezzanine);
      client::ReplicationResult replicated = walkthrough.replicate(published);
      print_urls(cluster, replicated);
      std::cout << "replicate and verify against these data centers with --profiles "
                << cluster.write_profiles() << "\n";
      std::cout << "ready: " << cluster.front_url()
                << replicated.url_a.substr(cluster.a().streaming_url.size()) << "(format=m3u8-aapl)"
                << std::endl;
      if (!options.ready_file.empty())
        write_demo_ready_file(options.ready_file, cluster, replicated);
      if (!options.no_drill && !g_interrupted) {
        drill_control.set_builtin_drill_running(true);
        DrillReport report = run_drill(cluster, replicated, g_interrupted, std::cout);
        drill_control.set_builtin_drill_running(false);
        std::cout << report.summary() << std::endl;
      }
      if (!g_interrupted) std::cout << "running; press Ctrl-C to stop" << std::endl;
      while (sleep_unless_interrupted(std::chrono::seconds(1))) {
      }
    } catch (const Interrupted&) {
      std::cout << "\ninterrupted" << std::endl;
    } catch (const std::exception& e) {
      std::cerr << "twinorigin demo: " << e.what() << std::endl;
      code = 1;
    }
    std::cout << "stopping the front and both data centers" << std::endl;
    drill_control.stop();
    cluster.stop();
  }
  if (options.keep.empty())
    std::filesystem::remove_all(root);
  else
    std::cout << "data kept in " << root << std::endl;
  std::cout << "stopped" << std::endl;
  return code;
}

}  // namespace

void add_demo(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DemoOptions>();
  auto* cmd = app.add_subcommand(
      "demo",
      "The failover scenario on this machine: two data centers and a front, the walkthrough "
      "(upload, encode, publish, replicate), the URLs to play, an outage drill; Ctrl-C stops");
  cmd->add_option("mezzanine", options->mezzanine,
                  "A video file to use (default: a generated 1080p clip with audio)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--no-drill", options->no_drill, "Skip the outage drill");
  cmd->add_option("--ready-file", options->ready_file,
                  "Once published and replicated, write the endpoints, the admin key and the "
                  "streaming path as JSON to this file");
  cmd->add_option("--keep", options->keep, "Keep the data in this directory (default: removed)");
  cmd->add_option("--ports", options->ports,
                  "First of 21 ports: A at BASE..BASE+2, B at BASE+10..12, the front at BASE+20 "
                  "(default: free ports)")
      ->check(CLI::Range(1024, 65500));
  cmd->add_option("--seconds", options->seconds, "Length of the generated mezzanine (default 60)")
      ->check(CLI::Range(4, 3600));
  cmd->callback([options, &exit_code] { exit_code = run_demo(*options); });
}

}  // namespace twin::cli
