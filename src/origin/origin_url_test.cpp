#include "origin/origin_url.h"

#include <gtest/gtest.h>

namespace twin::origin {
namespace {

constexpr const char* kGuid = "be245661-2bbd-4fc6-b14f-9cf9a1492e5e";

OriginRequest ok(const std::string& rest) {
  auto r = parse_origin_url(std::string("/") + kGuid + "/" + rest);
  if (auto* e = std::get_if<UrlError>(&r)) ADD_FAILURE() << rest << ": " << e->message;
  return std::holds_alternative<OriginRequest>(r) ? std::get<OriginRequest>(r) : OriginRequest{};
}

unsigned refused(const std::string& path) {
  auto r = parse_origin_url(path);
  EXPECT_TRUE(std::holds_alternative<UrlError>(r)) << path;
  return std::holds_alternative<UrlError>(r) ? std::get<UrlError>(r).status : 0;
}

TEST(OriginUrl, Manifests) {
  auto smooth = ok("clip.ism/manifest");
  EXPECT_EQ(smooth.resource, Resource::manifest);
  EXPECT_EQ(smooth.format, Format::smooth);
  EXPECT_EQ(smooth.locator, kGuid);
  EXPECT_EQ(smooth.ism_name, "clip.ism");
  EXPECT_EQ(ok("clip.ism/Manifest").resource, Resource::manifest);  // any case
  EXPECT_EQ(ok("clip.ism/manifest(format=m3u8-aapl)").format, Format::hls);
  EXPECT_EQ(ok("clip.ism/manifest(format=m3u8-cmaf)").format, Format::hls_cmaf);
  EXPECT_EQ(ok("clip.ism/manifest(format=mpd-time-csf)").format, Format::dash);
  EXPECT_EQ(ok("clip.ism/manifest(format=mpd-time-cmaf,audio-only=false)").format,
            Format::dash_cmaf);
  EXPECT_EQ(ok("clip.ism/manifest(format=fmp4-v20)").format, Format::smooth_v20);
  auto upper = parse_origin_url("/BE245661-2BBD-4fc6-b14f-9cf9a1492e5e/x.ism/manifest");
  ASSERT_TRUE(std::holds_alternative<OriginRequest>(upper));
  EXPECT_EQ(std::get<OriginRequest>(upper).locator, kGuid);  // GUIDs compare without case
}

TEST(OriginUrl, PlaylistsFragmentsAndFiles) {
  auto playlist =
      ok("clip.ism/QualityLevels(128041)/Manifest(aac_eng_2_128041_2_1,format=m3u8-aapl)");
  EXPECT_EQ(playlist.resource, Resource::media_playlist);
  EXPECT_EQ(playlist.bitrate, 128041u);
  EXPECT_EQ(playlist.stream, "aac_eng_2_128041_2_1");
  auto fragment = ok("clip.ism/QualityLevels(3400000)/Fragments(video=20000000)");
  EXPECT_EQ(fragment.resource, Resource::fragment);
  EXPECT_EQ(fragment.time, 20000000u);
  EXPECT_EQ(fragment.format, Format::smooth);
  auto dash = ok("clip.ism/QualityLevels(3400000)/Fragments(video=0,format=mpd-time-csf)");
  EXPECT_EQ(dash.format, Format::dash);
  EXPECT_EQ(ok("clip.ism/QualityLevels(3400000)/Fragments(video=i,format=m3u8-aapl)").resource,
            Resource::init_segment);
  // HLS segment URLs carry the extensions stock FFmpeg requires; the same fragments without.
  auto named = ok("clip.ism/QualityLevels(3400000)/Fragments(video=20000000,format=m3u8-cmaf).m4s");
  EXPECT_EQ(named.resource, Resource::fragment);
  EXPECT_EQ(named.time, 20000000u);
  EXPECT_EQ(named.format, Format::hls_cmaf);
  EXPECT_EQ(ok("clip.ism/QualityLevels(3400000)/Fragments(video=i,format=m3u8-aapl).mp4").resource,
            Resource::init_segment);
  auto file = ok("clip_AAC_128.mp4");
  EXPECT_EQ(file.resource, Resource::file);
  EXPECT_EQ(file.file_name, "clip_AAC_128.mp4");
}

TEST(OriginUrl, Refusals) {
  EXPECT_EQ(refused("/"), 404u);
  EXPECT_EQ(refused("/not-a-guid/clip.ism/manifest"), 404u);
  EXPECT_EQ(refused(std::string("/") + kGuid), 404u);
  EXPECT_EQ(refused(std::string("/") + kGuid + "/clip.ism/manifest(format=m3u8-bogus)"), 400u);
  EXPECT_EQ(refused(std::string("/") + kGuid + "/clip.ism/whatever"), 404u);
  EXPECT_EQ(refused(std::string("/") + kGuid + "/clip.ism/QualityLevels(x)/Fragments(video=0)"),
            404u);
  EXPECT_EQ(refused(std::string("/") + kGuid + "/clip.ism/QualityLevels(1)/Fragments(video=abc)"),
            404u);
  // A Smooth init segment and a DASH media playlist do not exist.
  EXPECT_EQ(refused(std::string("/") + kGuid + "/clip.ism/QualityLevels(1)/Fragments(video=i)"),
            404u);
  EXPECT_EQ(refused(std::string("/") + kGuid +
                    "/clip.ism/QualityLevels(1)/Manifest(video,format=mpd-time-csf)"),
            404u);
  EXPECT_EQ(refused(std::string("/") + kGuid + "/a/b.mp4"), 404u);
  // Extensions: only on HLS fragments, and the right one for each.
  std::string levels = std::string("/") + kGuid + "/clip.ism/QualityLevels(1)/";
  EXPECT_EQ(refused(levels + "Fragments(video=0,format=mpd-time-csf).m4s"), 404u);
  EXPECT_EQ(refused(levels + "Fragments(video=0).m4s"), 404u);
  EXPECT_EQ(refused(levels + "Fragments(video=0,format=m3u8-aapl).mp4"), 404u);
  EXPECT_EQ(refused(levels + "Fragments(video=i,format=m3u8-aapl).m4s"), 404u);
  EXPECT_EQ(refused(levels + "Fragments(video=0,format=m3u8-aapl).ts"), 404u);
}

}  // namespace
}  // namespace twin::origin
