// Golden manifests of a small synthetic asset (three video layers with B-frame delay, AAC audio
// a little longer than the video): Smooth, HLS master and media playlists, and the MPD, which is
// also validated against the DASH schema with xmllint. TWIN_UPDATE_GOLDEN=1 rewrites the files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/scratch_dir.h"
#include "package/dash.h"
#include "package/hls.h"
#include "package/smooth_manifest.h"
#include "package/test_tracks.h"

namespace twin::package {
namespace {
namespace fs = std::filesystem;
using testing::audio_track;
using testing::video_track;

const fs::path kGoldenDir = "src/package/testdata";

Presentation golden_asset() {
  auto layer = [](int width, int height, uint32_t size) {
    auto t = video_track(12800, 512, 150, 50, width, height);  // 6 s at 25 fps, 2 s GOPs
    for (auto& s : t.samples) s.size = s.sync ? size * 4 : size;
    return t;
  };
  return build_presentation({{"clip_AAC_128.mp4", "aac_und_2_128000_1_1", 128000, audio_track(283)},
                             {"clip_640x360_1000.mp4", "video", 1000000, layer(640, 360, 5000)},
                             {"clip_640x360_650.mp4", "video", 650000, layer(640, 360, 3200)},
                             {"clip_320x180_400.mp4", "video", 400000, layer(320, 180, 2000)}});
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void expect_golden(const std::string& name, const std::string& actual) {
  fs::path path = kGoldenDir / name;
  if (std::getenv("TWIN_UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary) << actual;
  ASSERT_TRUE(fs::exists(path)) << path << " is missing; run with TWIN_UPDATE_GOLDEN=1";
  EXPECT_EQ(actual, read(path)) << name << " differs from its golden file";
}

TEST(Golden, SmoothManifest) {
  expect_golden("smooth.ismc", smooth_manifest(golden_asset()));
  expect_golden("smooth-v20.ismc", smooth_manifest(golden_asset(), true));
}

TEST(Golden, HlsPlaylists) {
  Presentation p = golden_asset();
  expect_golden("master.m3u8", hls_master_playlist(p, "m3u8-aapl"));
  expect_golden("video_1000000.m3u8", hls_media_playlist(p.video[0], "m3u8-aapl"));
  expect_golden("audio.m3u8", hls_media_playlist(p.audio[0], "m3u8-aapl"));
}

TEST(Golden, DashMpdIsValidAgainstTheSchema) {
  std::string mpd = dash_mpd(golden_asset(), "mpd-time-csf");
  expect_golden("manifest.mpd", mpd);
  ScratchDir dir("golden");
  for (const char* format : {"mpd-time-csf", "mpd-time-cmaf"}) {
    fs::path file = dir.path() / (std::string(format) + ".mpd");
    std::ofstream(file) << dash_mpd(golden_asset(), format);
    std::string cmd = "xmllint --noout --schema tests/data/dash/DASH-MPD.xsd '" + file.string() +
                      "' 2>" + (dir.path() / "lint.txt").string();
    EXPECT_EQ(std::system(cmd.c_str()), 0) << read(dir.path() / "lint.txt");
  }
}

TEST(Golden, ASchemaViolationIsCaught) {  // the validation above can fail
  ScratchDir dir("golden-bad");
  fs::path file = dir.path() / "bad.mpd";
  std::string mpd = dash_mpd(golden_asset(), "mpd-time-csf");
  mpd.replace(mpd.find("PT6"), 3, "6");  // not an xs:duration
  std::ofstream(file) << mpd;
  std::string cmd =
      "xmllint --noout --schema tests/data/dash/DASH-MPD.xsd '" + file.string() + "' 2>/dev/null";
  EXPECT_NE(std::system(cmd.c_str()), 0);
}

}  // namespace
}  // namespace twin::package
