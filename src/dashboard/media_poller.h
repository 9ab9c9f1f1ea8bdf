// Reads each data center's media API in the background (one thread per data center, every
// interval), so that the dashboard's requests never wait on a slow or hung data center: they get
// the last snapshot, and a data center that stopped answering shows as unreachable with the
// time of its last good read. Also checks that each storage service answers HTTP at all.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "client/profiles.h"
#include "dashboard/media_snapshot.h"

namespace twin::dashboard {

class MediaPoller {
 public:
  // timeout: the longest silence of one call; a data center silent longer is unreachable.
  MediaPoller(std::vector<client::DataCenterProfile> profiles,
              std::chrono::milliseconds interval = std::chrono::seconds(2),
              std::chrono::milliseconds timeout = std::chrono::seconds(3));
  ~MediaPoller();

  void start();
  void stop();  // waits for calls in flight (at most one timeout)
  // Asks for a new read of every data center now (after an action on the page).
  void poke();
  std::vector<DataCenterSnapshot> snapshots() const;
  const std::vector<client::DataCenterProfile>& profiles() const { return profiles_; }

 private:
  void run(size_t index, std::stop_token stop);
  DataCenterSnapshot poll(const client::DataCenterProfile& profile, DataCenterSnapshot previous);

  std::vector<client::DataCenterProfile> profiles_;
  std::chrono::milliseconds interval_, timeout_;
  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  uint64_t pokes_ = 0;
  std::vector<DataCenterSnapshot> snapshots_;
  std::map<std::string, JobView> finished_jobs_;  // by id: a final job never changes
  std::vector<std::jthread> threads_;
};

}  // namespace twin::dashboard
