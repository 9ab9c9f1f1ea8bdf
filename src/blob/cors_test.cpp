#include "blob/cors.h"

#include <gtest/gtest.h>

#include "blob/errors.h"

namespace twin::blob {
namespace {
namespace bhttp = boost::beast::http;

const char* kRules =
    "<Cors><CorsRule><AllowedOrigins>http://page:1, http://other:2</AllowedOrigins>"
    "<AllowedMethods>PUT,get</AllowedMethods><MaxAgeInSeconds>600</MaxAgeInSeconds>"
    "<ExposedHeaders>x-ms-meta-*,etag</ExposedHeaders>"
    "<AllowedHeaders>x-ms-*,content-type</AllowedHeaders></CorsRule>"
    "<CorsRule><AllowedOrigins>*</AllowedOrigins><AllowedMethods>HEAD</AllowedMethods>"
    "<MaxAgeInSeconds>0</MaxAgeInSeconds><ExposedHeaders></ExposedHeaders>"
    "<AllowedHeaders></AllowedHeaders></CorsRule></Cors>";

http::Request request(bhttp::verb method, std::vector<std::pair<std::string, std::string>> h) {
  http::Request r{method, "/acct/c/b", 11};
  for (auto& [k, v] : h) r.set(k, v);
  return r;
}

TEST(Cors, ParsesRulesAndWritesThemBack) {
  auto rules = parse_cors(kRules);
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].allowed_origins,
            (std::vector<std::string>{"http://page:1", "http://other:2"}));
  EXPECT_EQ(rules[0].allowed_methods, (std::vector<std::string>{"PUT", "GET"}));
  EXPECT_EQ(rules[0].max_age_seconds, 600);
  EXPECT_EQ(parse_cors(cors_xml(rules))[0].allowed_headers, rules[0].allowed_headers);
  EXPECT_EQ(cors_xml({}), "<Cors />");
  EXPECT_TRUE(parse_cors("<Cors />").empty());
}

TEST(Cors, RefusesWhatTheServiceRefuses) {
  auto rule = [](std::string origins, std::string methods, std::string age) {
    return "<Cors><CorsRule><AllowedOrigins>" + origins + "</AllowedOrigins><AllowedMethods>" +
           methods + "</AllowedMethods><MaxAgeInSeconds>" + age +
           "</MaxAgeInSeconds></CorsRule></Cors>";
  };
  EXPECT_THROW(parse_cors(rule("", "GET", "1")), StorageError);
  EXPECT_THROW(parse_cors(rule("*", "", "1")), StorageError);
  EXPECT_THROW(parse_cors(rule("*", "TRACE", "1")), StorageError);
  EXPECT_THROW(parse_cors(rule("*", "GET", "-1")), StorageError);
  EXPECT_THROW(parse_cors(rule("*", "GET", "soon")), StorageError);
  EXPECT_THROW(parse_cors(rule(std::string(300, 'a'), "GET", "1")), StorageError);
  std::string six = "<Cors>";
  for (int i = 0; i < 6; ++i)
    six +=
        "<CorsRule><AllowedOrigins>*</AllowedOrigins><AllowedMethods>GET</AllowedMethods>"
        "<MaxAgeInSeconds>1</MaxAgeInSeconds></CorsRule>";
  EXPECT_THROW(parse_cors(six + "</Cors>"), StorageError);
  EXPECT_THROW(parse_cors("<Cors><CorsRule>"), StorageError);
}

TEST(Cors, TheFirstRuleAllowingOriginMethodAndHeadersWins) {
  auto rules = parse_cors(kRules);
  EXPECT_EQ(matching_rule(rules, "http://page:1", "PUT", {"x-ms-blob-type", "Content-Type"}),
            &rules[0]);
  EXPECT_EQ(matching_rule(rules, "http://page:1", "PUT", {"authorization"}), nullptr);
  EXPECT_EQ(matching_rule(rules, "http://elsewhere", "PUT"), nullptr);
  EXPECT_EQ(matching_rule(rules, "http://elsewhere", "HEAD"), &rules[1]);
  EXPECT_EQ(matching_rule(rules, "http://page:1", "DELETE"), nullptr);
}

TEST(Cors, APreflightGetsTheHeadersOr403Or400) {
  auto rules = parse_cors(kRules);
  std::string cause;
  http::Response res{bhttp::status::ok, 11};
  answer_preflight(rules,
                   request(bhttp::verb::options,
                           {{"Origin", "http://page:1"},
                            {"Access-Control-Request-Method", "PUT"},
                            {"Access-Control-Request-Headers", "x-ms-blob-type,x-ms-version"}}),
                   res, cause);
  EXPECT_EQ(res["Access-Control-Allow-Origin"], "http://page:1");
  EXPECT_EQ(res["Access-Control-Allow-Methods"], "PUT");
  EXPECT_EQ(res["Access-Control-Allow-Headers"], "x-ms-blob-type,x-ms-version");
  EXPECT_EQ(res["Access-Control-Max-Age"], "600");
  EXPECT_EQ(res["Access-Control-Allow-Credentials"], "true");
  EXPECT_EQ(res["Vary"], "Origin");
  try {
    answer_preflight(rules,
                     request(bhttp::verb::options,
                             {{"Origin", "http://evil"}, {"Access-Control-Request-Method", "PUT"}}),
                     res, cause);
    FAIL();
  } catch (const StorageError& e) {
    EXPECT_EQ(e.status(), 403u);
    EXPECT_EQ(e.code(), "CorsPreflightFailure");
    EXPECT_EQ(cause, "no CORS rule allows origin http://evil and method PUT");
  }
  try {
    answer_preflight(rules, request(bhttp::verb::options, {{"Origin", "http://page:1"}}), res,
                     cause);
    FAIL();
  } catch (const StorageError& e) {
    EXPECT_EQ(e.status(), 400u);
  }
}

TEST(Cors, AnActualResponseExposesTheHeadersTheRuleNames) {
  auto rules = parse_cors(kRules);
  http::Response res{bhttp::status::ok, 11};
  res.set("ETag", "\"x\"");
  res.set("x-ms-meta-title", "t");
  res.set("x-ms-request-id", "r");
  add_cors_headers(rules, request(bhttp::verb::get, {{"Origin", "http://other:2"}}), res);
  EXPECT_EQ(res["Access-Control-Allow-Origin"], "http://other:2");
  EXPECT_EQ(res["Access-Control-Expose-Headers"], "ETag,x-ms-meta-title");

  http::Response anyone{bhttp::status::ok, 11};
  add_cors_headers(rules, request(bhttp::verb::head, {{"Origin", "http://x"}}), anyone);
  EXPECT_EQ(anyone["Access-Control-Allow-Origin"], "*");
  EXPECT_EQ(anyone.count("Access-Control-Allow-Credentials"), 0u);

  http::Response none{bhttp::status::ok, 11};
  add_cors_headers(rules, request(bhttp::verb::delete_, {{"Origin", "http://page:1"}}), none);
  EXPECT_EQ(none.count("Access-Control-Allow-Origin"), 0u);
}

}  // namespace
}  // namespace twin::blob
