#include "cli/demo_cluster.h"

#include <filesystem>
#include <fstream>

#include "client/blob_container.h"
#include "common/crypto.h"

namespace twin::cli {
namespace {

std::string random_key() {
  return crypto::base64_encode(crypto::random_bytes(32));
}

std::string port_of(const std::string& url) {
  return url.substr(url.find_last_of(':') + 1);
}

}  // namespace

void DemoDataCenter::start() {
  std::string ready = dir + "/ready.json";
  std::filesystem::remove(ready);
  auto listen = [](uint16_t port) { return "127.0.0.1:" + std::to_string(port); };
  process.start({"serve", "--data", dir, "--storage", listen(storage_port), "--media",
                 listen(media_port), "--streaming", listen(streaming_port), "--storage-account",
                 storage_account + ":" + storage_key, "--media-account",
                 media_account + ":" + media_key + ":" + storage_account, "--fault-key", fault_key,
                 "--ready-file", ready},
                log_path());
  nlohmann::json r = wait_for_ready_file(ready, process, log_path());
  storage_url = r["storage"];
  media_url = r["media"];
  streaming_url = r["streaming"];
  // A restart keeps the ports, so the URLs published and the front's origins stay valid.
  storage_port = uint16_t(std::stoi(port_of(storage_url)));
  media_port = uint16_t(std::stoi(port_of(media_url)));
  streaming_port = uint16_t(std::stoi(port_of(streaming_url)));
}

client::DataCenterProfile DemoDataCenter::profile() const {
  return {name,
          media_url + "/api/",
          media_account,
          media_key,
          storage_url + "/" + storage_account,
          storage_account,
          storage_key,
          ""};
}

DemoCluster::DemoCluster(std::string root, uint16_t base_port)
    : root_(std::move(root)), base_port_(base_port), admin_key_(random_key()) {
  auto make = [&](const std::string& name, const std::string& lower, uint16_t offset) {
    auto dc = std::make_unique<DemoDataCenter>();
    dc->name = name;
    dc->dir = root_ + "/dc-" + lower;
    std::filesystem::create_directories(dc->dir);
    dc->storage_account = "store" + lower;
    dc->media_account = "media" + lower;
    dc->storage_key = random_key();
    dc->media_key = random_key();
    dc->fault_key = random_key();
    if (base_port_) {
      dc->storage_port = uint16_t(base_port_ + offset);
      dc->media_port = uint16_t(base_port_ + offset + 1);
      dc->streaming_port = uint16_t(base_port_ + offset + 2);
    }
    return dc;
  };
  a_ = make("A", "a", 0);
  b_ = make("B", "b", 10);
}

DemoCluster::~DemoCluster() {
  stop();
}

void DemoCluster::start() {
  a_->start();
  b_->start();
  start_front();
  allow_dashboard_uploads();
}

// The dashboard's page puts files straight into storage through SAS URLs: each storage account
// gets a CORS rule for the front's origin, as an Azure admin would set one in the portal.
void DemoCluster::allow_dashboard_uploads() {
  std::string rule = "<Cors><CorsRule><AllowedOrigins>" + front_url_ +
                     "</AllowedOrigins><AllowedMethods>PUT,GET,HEAD</AllowedMethods>"
                     "<MaxAgeInSeconds>600</MaxAgeInSeconds><ExposedHeaders>x-ms-*,etag"
                     "</ExposedHeaders><AllowedHeaders>x-ms-*,content-type</AllowedHeaders>"
                     "</CorsRule></Cors>";
  for (const auto* dc : {a_.get(), b_.get()})
    client::BlobContainer::with_shared_key(dc->storage_url + "/" + dc->storage_account,
                                           dc->storage_account, dc->storage_key, "")
        .set_service_cors(rule);
}

void DemoCluster::start_front() {
  std::string ready = root_ + "/front-ready.json", log = root_ + "/front.log";
  std::filesystem::remove(ready);
  uint16_t port = base_port_ ? uint16_t(base_port_ + 20) : 0;
  // The dashboard reads both media APIs with the same profiles file as replicate.
  std::vector<std::string> args = {"front",
                                   "--listen",
                                   "127.0.0.1:" + std::to_string(port),
                                   "--origin",
                                   "A=" + a_->streaming_url,
                                   "--origin",
                                   "B=" + b_->streaming_url,
                                   "--admin-key",
                                   admin_key_,
                                   "--profiles",
                                   write_profiles(),
                                   "--ready-file",
                                   ready};
  if (!drill_url_.empty()) args.insert(args.end(), {"--drill-url", drill_url_});
  front_.start(args, log);
  auto answer = wait_for_ready_file(ready, front_, log);
  front_url_ = answer["front"];
  dashboard_url_ = answer["dashboard"];
}

void DemoCluster::stop() {
  front_.stop();
  if (b_) b_->process.stop();
  if (a_) a_->process.stop();
}

std::string DemoCluster::write_profiles() const {
  std::string path = root_ + "/datacenters.toml";
  std::ofstream out(path);
  for (const auto* dc : {a_.get(), b_.get()}) {
    auto p = dc->profile();
    out << "[datacenters." << p.name << "]\nmedia_api = \"" << p.media_api
        << "\"\nmedia_account = \"" << p.media_account << "\"\nmedia_key = \"" << p.media_key
        << "\"\nstorage_url = \"" << p.storage_url << "\"\nstorage_account = \""
        << p.storage_account << "\"\nstorage_key = \"" << p.storage_key << "\"\n\n";
  }
  return path;
}

}  // namespace twin::cli
