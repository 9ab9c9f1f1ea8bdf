// The JSON the dashboard page reads, under /front/api/: the front and its origins with their
// history (overview), and the assets, locators and jobs of every data center with their
// replication status (assets). Built from what the front knows and from the media poller's last
// snapshots, so it never waits on a data center.
#pragma once

#include <nlohmann/json.hpp>

#include "dashboard/history.h"
#include "dashboard/media_poller.h"
#include "dashboard/replication.h"
#include "dashboard/replication_verifier.h"
#include "front/front_state.h"

namespace twin::dashboard {

class DashboardApi {
 public:
  // poller: null when the front was given no data center profiles (the page then shows the
  // front's own view only).
  // verifier: null without profiles, like the poller.
  DashboardApi(front::FrontState& state, StatusHistory& history, MediaPoller* poller,
               ReplicationVerifier* verifier = nullptr)
      : state_(state), history_(history), poller_(poller), verifier_(verifier) {}

  nlohmann::json overview() const;
  nlohmann::json assets() const;
  MediaPoller* poller() { return poller_; }
  ReplicationVerifier* verifier() { return verifier_; }
  // The viewers' listener, for the URLs the page offers to copy (it may itself be on the admin
  // listener); set once it is bound, before the server starts.
  void set_viewer_url(std::string url) { viewer_url_ = std::move(url); }

 private:
  nlohmann::json history_json() const;
  // verify's verdicts on the row (one per other data center), queueing those out of date; a
  // verdict of "different" turns the row to differs.
  nlohmann::json verdicts(AssetRow& row, const std::vector<DataCenterSnapshot>& snapshots) const;

  front::FrontState& state_;
  StatusHistory& history_;
  MediaPoller* poller_;
  ReplicationVerifier* verifier_;
  std::string viewer_url_;
};

}  // namespace twin::dashboard
