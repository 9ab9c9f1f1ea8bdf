#include "media/odata_value.h"

#include <gtest/gtest.h>

#include "media/errors.h"

namespace twin::media {
namespace {

constexpr int64_t kWalkthroughStart = 1466607845000;  // 2016-06-22T15:04:05Z

TEST(ODataValue, ParsesTheDateFormsClientsSend) {
  EXPECT_EQ(parse_datetime("2016-06-22T15:04:05Z"), kWalkthroughStart);
  EXPECT_EQ(parse_datetime("2016-06-22T15:04:05"), kWalkthroughStart);  // no zone: UTC
  EXPECT_EQ(parse_datetime("2016-06-22T15:04:05.1234567Z"), kWalkthroughStart + 123);
  EXPECT_EQ(parse_datetime("2016-06-22T17:04:05+02:00"), kWalkthroughStart);
  EXPECT_EQ(parse_datetime("/Date(1466607845000)/"), kWalkthroughStart);
  EXPECT_EQ(parse_datetime("\\/Date(1466607845000)\\/"), kWalkthroughStart);
  EXPECT_EQ(parse_datetime("6/22/2016 3:04:05 PM"), kWalkthroughStart);  // .NET "G", en-US
  EXPECT_EQ(parse_datetime("6/22/2016 12:04:05 AM"), kWalkthroughStart - 15 * 3600000);
  EXPECT_EQ(parse_datetime("6/22/2016 12:04:05 PM"), kWalkthroughStart - 3 * 3600000);
  for (const char* bad : {"", "yesterday", "2016-13-01T00:00:00Z", "6/22/2016 13:04:05 PM",
                          "2016-06-22T15:04:05Q", "/Date(abc)/"})
    EXPECT_FALSE(parse_datetime(bad)) << bad;
}

TEST(ODataValue, FormatsSevenFractionDigits) {
  EXPECT_EQ(format_datetime(kWalkthroughStart + 601), "2016-06-22T15:04:05.6010000Z");
}

TEST(ODataValue, CoercesNumbersAndBooleansSentAsStrings) {
  Property int32{"Type", Edm::Int32}, int64{"ContentFileSize", Edm::Int64},
      dbl{"DurationInMinutes", Edm::Double}, boolean{"IsPrimary", Edm::Boolean},
      date{"StartTime", Edm::DateTime};
  EXPECT_EQ(coerce(int32, "2"), Json(2));
  EXPECT_EQ(coerce(int32, 2), Json(2));
  EXPECT_EQ(coerce(int64, "9000000000"), Json(int64_t(9000000000)));
  EXPECT_EQ(coerce(dbl, "300"), Json(300.0));
  EXPECT_EQ(coerce(dbl, 440.5), Json(440.5));
  EXPECT_EQ(coerce(boolean, "false"), Json(false));
  EXPECT_EQ(coerce(boolean, true), Json(true));
  EXPECT_EQ(coerce(date, "6/22/2016 3:04:05 PM"), Json(kWalkthroughStart));
  EXPECT_TRUE(coerce(int32, nullptr).is_null());
  EXPECT_THROW(coerce(int32, "2.5"), MediaError);
  EXPECT_THROW(coerce(int32, "9000000000"), MediaError);
  EXPECT_THROW(coerce(int64, "12abc"), MediaError);
  EXPECT_THROW(coerce(boolean, "yes"), MediaError);
  EXPECT_THROW(coerce(date, "tomorrow"), MediaError);
  // Beyond int64: refused, not cast (json_body_fuzz: undefined behaviour found by UBSan).
  EXPECT_THROW(coerce(int32, 4.4e106), MediaError);
  EXPECT_THROW(coerce(int64, -1e19), MediaError);
  EXPECT_THROW(coerce(int64, 9223372036854775808.0), MediaError);
  try {
    coerce(int32, Json::array());
  } catch (const MediaError& e) {
    EXPECT_EQ(e.status, 400u);
    EXPECT_NE(std::string(e.what()).find("'Type'"), std::string::npos);
  }
}

TEST(ODataValue, WritesInt64AsStringsAndDatesInBothForms) {
  const EntitySet& files = entity_set("Files");
  Json file = {{"Id", "nb:cid:UUID:1"},
               {"ContentFileSize", int64_t(1234)},
               {"Created", kWalkthroughStart},
               {"IsPrimary", true}};
  Json minimal = wire_entity(files, file, false);
  EXPECT_EQ(minimal["ContentFileSize"], "1234");
  EXPECT_EQ(minimal["Created"], "2016-06-22T15:04:05.0000000Z");
  std::string verbose = dump_json(wire_entity(files, file, true));
  EXPECT_NE(verbose.find(R"("Created":"\/Date(1466607845000)\/")"), std::string::npos) << verbose;
  EXPECT_NE(verbose.find(R"("IsPrimary":true)"), std::string::npos);
  // A user's string that looks like the marker is not turned into a date.
  EXPECT_EQ(dump_json(Json{{"Name", "\x01not-a-date"}}), R"({"Name":"\u0001not-a-date"})");
}

}  // namespace
}  // namespace twin::media
