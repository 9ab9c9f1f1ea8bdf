// The demo's processes on loopback: data centers A and B, each a `serve` child with its own data
// directory and accounts, and a front before both origins (A first). The drill kills, freezes,
// resumes and restarts A's process; a restarted data center keeps its ports and data.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "cli/child_process.h"
#include "client/profiles.h"

namespace twin::cli {

struct DemoDataCenter {
  std::string name;  // "A"
  std::string dir;   // its data directory
  std::string storage_account, storage_key, media_account, media_key;
  std::string fault_key;  // lets the drill controller set its origin's faults (serve --fault-key)
  uint16_t storage_port = 0, media_port = 0, streaming_port = 0;  // 0: any until first start
  std::string storage_url, media_url, streaming_url;              // from its ready file
  ChildProcess process;

  void start();
  std::string log_path() const { return dir + "/serve.log"; }
  client::DataCenterProfile profile() const;
};

class DemoCluster {
 public:
  // root: the directory that holds everything; base_port 0: free ports.
  DemoCluster(std::string root, uint16_t base_port);
  ~DemoCluster();

  void start();  // A, B, then the front
  void stop();   // the front, then B and A
  DemoDataCenter& a() { return *a_; }
  DemoDataCenter& b() { return *b_; }
  const DemoDataCenter& a() const { return *a_; }
  const DemoDataCenter& b() const { return *b_; }
  const std::string& front_url() const { return front_url_; }
  const std::string& front_admin_key() const { return admin_key_; }
  // The front's dashboard, with the admin key in the fragment (which no request carries).
  std::string dashboard_link() const { return dashboard_url_ + "#key=" + admin_key_; }
  // Where the front's dashboard sends drill actions (DemoDrillControl); before start().
  void set_drill_url(std::string url) { drill_url_ = std::move(url); }
  // The profiles file `replicate` and `verify` can use against this cluster.
  std::string write_profiles() const;
  const std::string& root() const { return root_; }

 private:
  void start_front();
  void allow_dashboard_uploads();

  std::string root_;
  uint16_t base_port_;
  std::unique_ptr<DemoDataCenter> a_, b_;
  ChildProcess front_;
  std::string front_url_, dashboard_url_, admin_key_, drill_url_;
};

}  // namespace twin::cli
