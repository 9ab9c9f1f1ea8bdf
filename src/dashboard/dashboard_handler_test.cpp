// The dashboard inside the front's handler: the page and the players from the binary, their
// caching headers, the JSON API, and every other request passed on to the front untouched.
#include "dashboard/dashboard_handler.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <regex>

#include "dashboard/embedded_files.h"
#include "dashboard/viewer_listener.h"

namespace twin::dashboard {
namespace {
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

// The front's own handler, as far as the dashboard is concerned: it records what reached it.
class RecordingFront : public http::Handler {
 public:
  std::vector<std::string> targets;
  uint64_t plan_body(http::Exchange&) override { return 7; }
  http::Response handle(http::Exchange& ex) override {
    targets.emplace_back(ex.request.target());
    http::Response res{bhttp::status::ok, 11};
    res.body().text = "from the front";
    res.prepare_payload();
    return res;
  }
  bool asynchronous() const override { return true; }
  boost::asio::awaitable<http::Response> handle_async(http::Exchange& ex) override {
    co_return handle(ex);
  }
  http::Response error_response(http::Exchange&, unsigned status, const std::string&,
                                const std::string&) override {
    return http::Response{bhttp::status(status), 11};
  }
};

class DashboardHandlerTest : public ::testing::Test {
 protected:
  DashboardHandlerTest() : state_(config(), clock_), history_(state_, clock_) { history_.start(); }
  static front::FrontConfig config() {
    front::FrontConfig c;
    c.origins.push_back(front::parse_origin_flag("A=http://127.0.0.1:1", 0));
    c.origins.push_back(front::parse_origin_flag("B=http://127.0.0.1:2", 1));
    c.admin_key = "admin-key";
    return c;
  }

  http::Response send(bhttp::verb method, const std::string& target,
                      std::vector<std::pair<std::string, std::string>> fields = {}) {
    http::Request request{method, target, 11};
    for (auto& [f, v] : fields) request.set(f, v);
    http::Exchange ex{request, "127.0.0.1", "id", nullptr, "", "", false};
    boost::asio::io_context io;
    auto result = boost::asio::co_spawn(io, handler_.handle_async(ex), boost::asio::use_future);
    io.run();
    last_cause_ = ex.log_cause;
    return result.get();
  }

  front::ManualScheduler clock_;
  front::FrontState state_;
  StatusHistory history_;
  DashboardApi api_{state_, history_, nullptr};
  std::shared_ptr<RecordingFront> front_ = std::make_shared<RecordingFront>();
  DrillActions drill_{state_, ""};
  DashboardHandler handler_{
      front_, api_, drill_, nullptr, {"http://127.0.0.1:1", "http://127.0.0.1:2"}};
  std::string last_cause_;
};

TEST_F(DashboardHandlerTest, ThePageComesFromTheBinaryWithItsPolicy) {
  auto res = send(bhttp::verb::get, "/dashboard/");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(res.body().text.find("<title>twinorigin dashboard</title>"), std::string::npos);
  std::string policy(res["Content-Security-Policy"]);
  EXPECT_NE(policy.find("script-src 'self';"), std::string::npos);
  EXPECT_NE(policy.find("connect-src 'self' http://127.0.0.1:1 http://127.0.0.1:2;"),
            std::string::npos);
  EXPECT_EQ(res[bhttp::field::cache_control], "no-cache");
  EXPECT_TRUE(front_->targets.empty());
}

TEST_F(DashboardHandlerTest, ARevalidationWithTheETagGets304WithoutABody) {
  auto first = send(bhttp::verb::get, "/dashboard/vendor/hls.min.js");
  ASSERT_EQ(first.result_int(), 200u);
  EXPECT_EQ(first[bhttp::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_GT(first.body().text.size(), 100000u);
  std::string etag(first[bhttp::field::etag]);
  EXPECT_TRUE(std::regex_match(etag, std::regex("\"[0-9a-f]{32}\"")));
  auto again = send(bhttp::verb::get, "/dashboard/vendor/hls.min.js", {{"If-None-Match", etag}});
  EXPECT_EQ(again.result_int(), 304u);
  EXPECT_TRUE(again.body().text.empty());
  auto changed =
      send(bhttp::verb::get, "/dashboard/vendor/hls.min.js", {{"If-None-Match", "\"other\""}});
  EXPECT_EQ(changed.result_int(), 200u);
}

TEST_F(DashboardHandlerTest, RedirectsToTheSlashAndRefusesWhatIsNotThere) {
  auto res = send(bhttp::verb::get, "/dashboard");
  EXPECT_EQ(res.result_int(), 301u);
  EXPECT_EQ(res[bhttp::field::location], "/dashboard/");
  res = send(bhttp::verb::get, "/dashboard/../front/status");
  EXPECT_EQ(res.result_int(), 404u);
  EXPECT_EQ(last_cause_, "dashboard: no file /dashboard/../front/status");
  res = send(bhttp::verb::post, "/dashboard/index.html");
  EXPECT_EQ(res.result_int(), 405u);
  EXPECT_EQ(res[bhttp::field::allow], "GET, HEAD");
  res = send(bhttp::verb::get, "/front/api/nothing");
  EXPECT_EQ(res.result_int(), 404u);
  auto body = nlohmann::json::parse(res.body().text);
  EXPECT_EQ(body["error"]["code"], "NotFound");
}

TEST_F(DashboardHandlerTest, TheOverviewNamesEachOriginWithItsHistory) {
  state_.find("A")->requests += 3;
  clock_.advance(1s);
  auto res = send(bhttp::verb::get, "/front/api/overview");
  ASSERT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  EXPECT_EQ(res[bhttp::field::cache_control], "no-store");
  auto body = nlohmann::json::parse(res.body().text);
  ASSERT_EQ(body["datacenters"].size(), 2u);
  EXPECT_EQ(body["datacenters"][0]["name"], "A");
  EXPECT_EQ(body["datacenters"][0]["origin"]["requests"], 3);
  EXPECT_TRUE(body["datacenters"][0]["media"].is_null());  // no profiles given
  EXPECT_EQ(body["profiles"], false);
  ASSERT_EQ(body["history"].size(), 2u);
  EXPECT_EQ(body["history"][1]["origins"]["A"]["requests_per_second"], 3.0);
  EXPECT_EQ(body["front"]["origins"].size(), 2u);

  auto assets = nlohmann::json::parse(send(bhttp::verb::get, "/front/api/assets").body().text);
  EXPECT_EQ(assets["profiles"], false);
  EXPECT_TRUE(assets["rows"].empty());
  EXPECT_EQ(send(bhttp::verb::delete_, "/front/api/assets").result_int(), 405u);
}

TEST_F(DashboardHandlerTest, EverythingElseGoesToTheFront) {
  for (const char* target : {"/guid/clip.ism/manifest", "/front/status", "/dashboards", "/"}) {
    auto res = send(bhttp::verb::get, target);
    EXPECT_EQ(res.body().text, "from the front") << target;
  }
  EXPECT_EQ(front_->targets.size(), 4u);
}

TEST_F(DashboardHandlerTest, ActionsNeedTheKeyAndThisFrontsOwnPage) {
  const std::string key = "Bearer admin-key";
  EXPECT_EQ(send(bhttp::verb::post, "/front/api/drill/A/drain").result_int(), 401u);
  EXPECT_EQ(send(bhttp::verb::post, "/front/api/drill/A/drain", {{"Authorization", "Bearer no"}})
                .result_int(),
            401u);
  EXPECT_FALSE(state_.find("A")->drained);
  // From another site's page: refused even with the key.
  auto res = send(bhttp::verb::post, "/front/api/drill/A/drain",
                  {{"Authorization", key}, {"Host", "front:8900"}, {"Origin", "http://evil"}});
  EXPECT_EQ(res.result_int(), 403u);
  EXPECT_EQ(nlohmann::json::parse(res.body().text)["error"]["code"], "CrossSiteRequest");
  EXPECT_EQ(send(bhttp::verb::post, "/front/api/drill/A/drain",
                 {{"Authorization", key}, {"Host", "front:8900"}, {"Sec-Fetch-Site", "cross-site"}})
                .result_int(),
            403u);
  EXPECT_FALSE(state_.find("A")->drained);

  res = send(bhttp::verb::post, "/front/api/drill/A/drain",
             {{"Authorization", key},
              {"Host", "front:8900"},
              {"Origin", "http://front:8900"},
              {"Sec-Fetch-Site", "same-origin"}});
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_TRUE(state_.find("A")->drained);
  EXPECT_EQ(nlohmann::json::parse(res.body().text)["drained"], true);
  EXPECT_EQ(
      send(bhttp::verb::post, "/front/api/drill/A/enable", {{"Authorization", key}}).result_int(),
      200u);
  EXPECT_FALSE(state_.find("A")->drained);

  // Process drills need the demo's controller; unknown names and actions are 404.
  res = send(bhttp::verb::post, "/front/api/drill/A/kill", {{"Authorization", key}});
  EXPECT_EQ(res.result_int(), 409u);
  EXPECT_EQ(nlohmann::json::parse(res.body().text)["error"]["code"], "NoDrillController");
  EXPECT_EQ(
      send(bhttp::verb::post, "/front/api/drill/C/kill", {{"Authorization", key}}).result_int(),
      404u);
  EXPECT_EQ(
      send(bhttp::verb::post, "/front/api/drill/A/explode", {{"Authorization", key}}).result_int(),
      404u);
  EXPECT_EQ(send(bhttp::verb::get, "/front/api/drill/A/drain").result_int(), 405u);

  auto states = nlohmann::json::parse(send(bhttp::verb::get, "/front/api/drill").body().text);
  EXPECT_EQ(states["controller"], false);
  EXPECT_EQ(states["origins"].size(), 2u);
  EXPECT_TRUE(states["process_actions"].empty());
  EXPECT_TRUE(front_->targets.empty());
}

TEST_F(DashboardHandlerTest, VerifyNowIsAnActionOnAKnownReplicatedAsset) {
  const std::string key = "Bearer admin-key";
  EXPECT_EQ(send(bhttp::verb::post, "/front/api/verify/L1").result_int(), 401u);
  EXPECT_EQ(send(bhttp::verb::get, "/front/api/verify/L1", {{"Authorization", key}}).result_int(),
            405u);
  // This front has no profiles, so nothing to verify with.
  auto res = send(bhttp::verb::post, "/front/api/verify/L1", {{"Authorization", key}});
  EXPECT_EQ(res.result_int(), 409u);
  EXPECT_EQ(nlohmann::json::parse(res.body().text)["error"]["code"], "NoProfiles");

  std::vector<std::string> verified;
  ReplicationVerifier verifier([&](const VerifyPair& p, std::stop_token) {
    verified.push_back(p.locator_id);
    return client::Verification{p.locator_id, "a", "b", {}};
  });
  DashboardApi api{state_, history_, nullptr, &verifier};
  DashboardHandler handler{front_, api, drill_, nullptr, {}};
  auto post = [&](const std::string& target) {
    http::Request request{bhttp::verb::post, target, 11};
    request.set(bhttp::field::authorization, key);
    http::Exchange ex{request, "127.0.0.1", "id", nullptr, "", "", false};
    boost::asio::io_context io;
    auto result = boost::asio::co_spawn(io, handler.handle_async(ex), boost::asio::use_future);
    io.run();
    return result.get();
  };
  EXPECT_EQ(post("/front/api/verify/nb%3Alid%3AL1").result_int(), 404u);
  verifier.observe({"nb:lid:L1", "A", "B"}, "f");
  verifier.run_queued();
  res = post("/front/api/verify/nb%3Alid%3AL1");
  EXPECT_EQ(res.result_int(), 202u);
  EXPECT_EQ(nlohmann::json::parse(res.body().text)["locator"], "nb:lid:L1");
  EXPECT_EQ(verifier.run_queued(), 1u);
  EXPECT_EQ(verified, (std::vector<std::string>{"nb:lid:L1", "nb:lid:L1"}));
}

TEST_F(DashboardHandlerTest, AViewerListenerRefusesTheDashboardAndTheAdminApi) {
  ViewerListener viewers(front_);
  auto send_to = [&](bhttp::verb method, const std::string& target) {
    http::Request request{method, target, 11};
    request.set(bhttp::field::authorization, "Bearer admin-key");
    http::Exchange ex{request, "127.0.0.1", "id", nullptr, "", "", false};
    boost::asio::io_context io;
    auto result = boost::asio::co_spawn(io, viewers.handle_async(ex), boost::asio::use_future);
    io.run();
    last_cause_ = ex.log_cause;
    return result.get().result_int();
  };
  for (const char* target : {"/dashboard/", "/dashboard", "/dashboard/vendor/hls.min.js",
                             "/front/api/overview", "/front/status", "/front/steering/retire"}) {
    EXPECT_EQ(send_to(bhttp::verb::get, target), 404u) << target;
    EXPECT_NE(last_cause_.find("admin listener only"), std::string::npos) << target;
  }
  EXPECT_EQ(send_to(bhttp::verb::post, "/front/origins/A/drain"), 404u);
  EXPECT_EQ(send_to(bhttp::verb::post, "/front/api/drill/A/kill"), 404u);
  EXPECT_TRUE(front_->targets.empty());
  // Viewers and the steering manifest go on to the front.
  EXPECT_EQ(send_to(bhttp::verb::get, "/L1/clip.ism/manifest"), 200u);
  EXPECT_EQ(send_to(bhttp::verb::get, "/steer?_HLS_pathway=A"), 200u);
  EXPECT_EQ(send_to(bhttp::verb::get, "/front/statusx"), 200u);
  EXPECT_EQ(front_->targets, (std::vector<std::string>{"/L1/clip.ism/manifest",
                                                       "/steer?_HLS_pathway=A", "/front/statusx"}));
}

// The page's own references (src and href) all resolve to embedded files: nothing it needs
// lives outside the binary.
TEST(EmbeddedFiles, EveryFileThePageAndItsModulesReferToIsEmbedded) {
  std::vector<std::string> sources;
  for (const auto& file : embedded_files()) {
    if (!file.path.ends_with(".html") && !file.path.ends_with(".js")) continue;
    if (file.path.starts_with("/dashboard/vendor/")) continue;
    std::string text(file.body);
    std::regex reference(R"re((?:src|href)="([^"#:]+)"|from '\./([^']+)'|'(vendor/[^']+)')re");
    for (std::sregex_iterator it(text.begin(), text.end(), reference), end; it != end; ++it) {
      for (size_t group = 1; group <= 3; ++group)
        if ((*it)[group].matched) sources.push_back("/dashboard/" + (*it)[group].str());
    }
  }
  EXPECT_GE(sources.size(), 10u);
  for (const auto& path : sources) EXPECT_NE(find_embedded(path), nullptr) << path;
  for (const auto& file : embedded_files()) EXPECT_FALSE(file.body.empty()) << file.path;
}

}  // namespace
}  // namespace twin::dashboard
