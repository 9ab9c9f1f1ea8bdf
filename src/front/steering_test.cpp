#include "front/steering.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace twin::front {
namespace {

using Json = nlohmann::json;

config::Steering three_pathways() {
  config::Steering s;
  s.server = "http://edge-a:8900/steer";
  s.default_pathway = "B";
  s.ttl_seconds = 2;
  s.pathways = {{"A", "http://edge-a:8900", "http://edge-a:8900/steer"},
                {"B", "http://edge-b:8900", "http://edge-b:8900/steer"},
                {"C", "http://cdn-c", ""}};
  config::validate(s);
  return s;
}

SteeredPathway& pathway(SteeringServer& server, const std::string& id) {
  for (auto& p : server.pathways())
    if (p->config.id == id) return *p;
  throw std::out_of_range(id);
}

TEST(SteeringServer, PutsTheDefaultFirstAndDownPathwaysLast) {
  ManualScheduler clock;
  SteeringServer server(three_pathways(), {.rise = 2, .fall = 2}, clock);
  EXPECT_EQ(server.priority(), (std::vector<std::string>{"B", "A", "C"}));
  auto& b = pathway(server, "B");
  b.health.probe_failed("connection refused");
  EXPECT_EQ(server.priority()[0], "B");  // one failure is not enough (fall 2)
  b.health.probe_failed("connection refused");
  EXPECT_EQ(server.priority(), (std::vector<std::string>{"A", "C", "B"}));
  pathway(server, "A").health.probe_failed("timeout");
  pathway(server, "A").health.probe_failed("timeout");
  EXPECT_EQ(server.priority(), (std::vector<std::string>{"C", "B", "A"}));
  b.health.probe_passed(std::chrono::milliseconds(3));
  EXPECT_EQ(server.priority()[0], "C");  // back after rise passes, not one
  b.health.probe_passed(std::chrono::milliseconds(3));
  EXPECT_EQ(server.priority(), (std::vector<std::string>{"B", "C", "A"}));
}

TEST(SteeringServer, AnswersBothPriorityKeysAndReloadsOverTheNextPathway) {
  ManualScheduler clock;
  SteeringServer server(three_pathways(), {.rise = 1, .fall = 1}, clock);
  Json answer = Json::parse(server.answer({"hls", "B", 5000000}));
  EXPECT_EQ(answer["VERSION"], 1);
  EXPECT_EQ(answer["TTL"], 2);
  EXPECT_EQ(answer["PATHWAY-PRIORITY"], Json({"B", "A", "C"}));
  EXPECT_EQ(answer["SERVICE-LOCATION-PRIORITY"], answer["PATHWAY-PRIORITY"]);
  // The next reload goes to the steering server over A, not over B which it prefers.
  EXPECT_EQ(answer["RELOAD-URI"], "http://edge-a:8900/steer");
  pathway(server, "A").health.probe_failed("refused");
  answer = Json::parse(server.answer({"dash", "B", 0}));
  EXPECT_EQ(answer["PATHWAY-PRIORITY"], Json({"B", "C", "A"}));
  // C has no server and A's is down: B's own, not one that can only fail.
  EXPECT_EQ(answer["RELOAD-URI"], "http://edge-b:8900/steer");
  pathway(server, "B").health.probe_failed("refused");
  answer = Json::parse(server.answer({"", "", 0}));
  EXPECT_EQ(answer["PATHWAY-PRIORITY"], Json({"C", "B", "A"}));
  EXPECT_EQ(answer["RELOAD-URI"], "http://edge-b:8900/steer");  // none up: the first that has one
  pathway(server, "A").health.probe_passed(std::chrono::milliseconds(1));
  answer = Json::parse(server.answer({"", "", 0}));
  EXPECT_EQ(answer["PATHWAY-PRIORITY"], Json({"A", "C", "B"}));
  EXPECT_EQ(answer["RELOAD-URI"], "http://edge-a:8900/steer");  // B down, so A's own
  server.answer({"hls", "Z\"}", 0});
  auto counted = server.requests_by_pathway();
  EXPECT_EQ(counted["unknown"], 1u);
  EXPECT_EQ(counted["B"], 2u);
  EXPECT_EQ(counted[""], 2u);
}

TEST(SteeringServer, ServesAtTheConfiguredPathsOnly) {
  ManualScheduler clock;
  SteeringServer server(three_pathways(), {}, clock);
  EXPECT_TRUE(server.serves("/steer"));
  EXPECT_FALSE(server.serves("/steer/"));
  EXPECT_FALSE(server.serves("/"));
}

TEST(SteeringServer, ReadsWhatHlsAndDashPlayersSay) {
  auto hls = steering_request_from(http::Target("/steer?_HLS_pathway=A&_HLS_throughput=2400000"));
  EXPECT_EQ(hls.protocol, "hls");
  EXPECT_EQ(hls.pathway, "A");
  EXPECT_EQ(hls.throughput, 2400000u);
  // dash.js quotes the list of every location it used since its last request.
  auto dash = steering_request_from(
      http::Target("/steer?_DASH_pathway=%22B,A%22&_DASH_throughput=900000,1200000"));
  EXPECT_EQ(dash.protocol, "dash");
  EXPECT_EQ(dash.pathway, "B");
  EXPECT_EQ(dash.throughput, 900000u);
  auto first = steering_request_from(http::Target("/steer"));
  EXPECT_EQ(first.protocol, "");
  EXPECT_EQ(first.pathway, "");
}

TEST(SteeringServer, NamesThePathwayAHostHeaderReaches) {
  ManualScheduler clock;
  SteeringServer server(three_pathways(), {.rise = 2, .fall = 2}, clock);
  EXPECT_EQ(server.pathway_for_host("edge-a:8900"), "A");
  EXPECT_EQ(server.pathway_for_host("EDGE-B:8900"), "B");
  EXPECT_EQ(server.pathway_for_host("cdn-c"), "C");
  EXPECT_EQ(server.pathway_for_host("cdn-c:80"), "C");  // http's default port
  EXPECT_EQ(server.pathway_for_host("edge-a"), "");
  EXPECT_EQ(server.pathway_for_host("edge-a:8901"), "");
}

TEST(SteeringServer, AnswersGoneOnceRetiredAndTooManyRequestsOverItsRate) {
  ManualScheduler clock;
  SteeringServer server(three_pathways(), {.rise = 2, .fall = 2}, clock, 2);
  EXPECT_EQ(server.respond({}).status, 200u);
  EXPECT_EQ(server.respond({}).status, 200u);
  auto over = server.respond({});  // the third within a second at 2 per second
  EXPECT_EQ(over.status, 429u);
  EXPECT_EQ(over.retry_after, 4u);  // twice the TTL
  clock.advance(std::chrono::milliseconds(499));
  EXPECT_EQ(server.respond({}).status, 429u);
  clock.advance(std::chrono::milliseconds(1));
  EXPECT_EQ(server.respond({}).status, 200u);
  clock.advance(std::chrono::seconds(10));  // the bucket holds one second's worth, not ten
  for (int i = 0; i < 2; ++i) EXPECT_EQ(server.respond({}).status, 200u);
  EXPECT_EQ(server.respond({}).status, 429u);
  server.retire(true);
  EXPECT_EQ(server.respond({}).status, 410u);
  server.retire(false);
  clock.advance(std::chrono::seconds(1));
  EXPECT_EQ(server.respond({}).status, 200u);
  EXPECT_EQ(server.refusals(), (std::map<std::string, uint64_t>{{"gone", 1}, {"rate", 3}}));
  EXPECT_EQ(server.requests_by_pathway().at(""), 6u);  // answered ones only
}

TEST(SteeringServer, LimitsToAFractionOfARequestPerSecond) {
  ManualScheduler clock;
  SteeringServer server(three_pathways(), {.rise = 2, .fall = 2}, clock, 0.2);
  EXPECT_EQ(server.respond({}).status, 200u);  // a burst of one
  EXPECT_EQ(server.respond({}).status, 429u);
  clock.advance(std::chrono::milliseconds(4900));
  EXPECT_EQ(server.respond({}).status, 429u);
  clock.advance(std::chrono::milliseconds(100));
  EXPECT_EQ(server.respond({}).status, 200u);
}

}  // namespace
}  // namespace twin::front
