// Golden manifests of a small synthetic asset (three video layers with B-frame delay, AAC audio
// a little longer than the video): Smooth, HLS master and media playlists, and the MPD, which is
// also validated against the DASH schema with xmllint; the HLS master and the MPD again with
// content steering (two pathways), the MPD against the schema extended by <ContentSteering>.
// TWIN_UPDATE_GOLDEN=1 rewrites the files.
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

config::Steering two_pathways() {
  config::Steering s;
  s.server = "http://edge-a.example.net:8900/steer?asset=1&x=y";
  s.default_pathway = "B";
  s.pathways = {{"A", "http://edge-a.example.net:8900", ""},
                {"B", "https://edge-b.example.net", ""}};
  config::validate(s);
  return s;
}

const std::string kAssetPath = "/d8e4a4e0-6c1e-4c7e-9b3b-1a2b3c4d5e6f/clip.ism/";

// DASH-MPD.xsd with ContentSteering.xsd included and <ContentSteering> listed in MPDtype, written
// into dir with the xlink schema it imports; returns its path.
fs::path steering_schema(const fs::path& dir) {
  const fs::path data = "tests/data/dash";
  for (const char* name : {"xlink.xsd", "ContentSteering.xsd"})
    fs::copy_file(data / name, dir / name, fs::copy_options::overwrite_existing);
  std::string xsd = read(data / "DASH-MPD.xsd");
  const std::string import_end = "</xs:import>";
  const std::string patch_location =
      "<xs:element name=\"PatchLocation\" type=\"PatchLocationType\" minOccurs=\"0\" "
      "maxOccurs=\"unbounded\"/>";
  auto at_import = xsd.find(import_end), at_patch = xsd.find(patch_location);
  if (at_import == std::string::npos || at_patch == std::string::npos) return {};
  xsd.insert(at_patch + patch_location.size(),
             "<xs:element name=\"ContentSteering\" type=\"ContentSteeringType\" "
             "minOccurs=\"0\"/>");
  xsd.insert(at_import + import_end.size(), "<xs:include schemaLocation=\"ContentSteering.xsd\"/>");
  std::ofstream(dir / "DASH-MPD-steering.xsd") << xsd;
  return dir / "DASH-MPD-steering.xsd";
}

// xmllint's verdict: "" when valid, else its messages.
std::string lint(const fs::path& schema, const std::string& mpd, const fs::path& dir) {
  std::ofstream(dir / "manifest.mpd") << mpd;
  std::string cmd = "xmllint --noout --schema '" + schema.string() + "' '" +
                    (dir / "manifest.mpd").string() + "' 2>'" + (dir / "lint.txt").string() + "'";
  return std::system(cmd.c_str()) == 0 ? "" : read(dir / "lint.txt");
}

TEST(Golden, HlsMasterWithSteeringListsEveryPathway) {
  config::Steering s = two_pathways();
  ManifestSteering m{s, kAssetPath};
  std::string master = hls_master_playlist(golden_asset(), "m3u8-aapl", &m);
  expect_golden("master-steering.m3u8", master);
  EXPECT_NE(
      master.find("#EXT-X-CONTENT-STEERING:SERVER-URI=\"" + s.server + "\",PATHWAY-ID=\"B\"\n"),
      std::string::npos);
  for (const auto& p : s.pathways) {
    size_t variants = 0;
    for (size_t at = master.find("PATHWAY-ID=\"" + p.id + "\"\n" + p.base + kAssetPath);
         at != std::string::npos; at = master.find("PATHWAY-ID=\"" + p.id + "\"\n", at + 1))
      ++variants;
    EXPECT_EQ(variants, 3u) << p.id;
  }
}

TEST(Golden, DashMpdWithSteeringIsValidAgainstTheExtendedSchema) {
  config::Steering s = two_pathways();
  ManifestSteering m{s, kAssetPath};
  std::string mpd = dash_mpd(golden_asset(), "mpd-time-csf", &m);
  expect_golden("manifest-steering.mpd", mpd);
  ScratchDir dir("golden-steering");
  fs::path schema = steering_schema(dir.path());
  ASSERT_FALSE(schema.empty()) << "DASH-MPD.xsd no longer has the places the extension needs";
  EXPECT_EQ(lint(schema, mpd, dir.path()), "");
  EXPECT_EQ(lint(schema, dash_mpd(golden_asset(), "mpd-time-cmaf", &m), dir.path()), "");
  // The plain schema does not know the element, and the extended one still checks it.
  EXPECT_NE(lint("tests/data/dash/DASH-MPD.xsd", mpd, dir.path()), "");
  std::string misplaced = mpd;
  std::string element = misplaced.substr(misplaced.find("  <ContentSteering"));
  element = element.substr(0, element.find('\n') + 1);
  misplaced.erase(misplaced.find(element), element.size());
  misplaced.insert(misplaced.find("</MPD>"), element);
  EXPECT_NE(lint(schema, misplaced, dir.path()), "");
  // Without steering the MPD is unchanged and valid against the plain schema (the test above).
  EXPECT_EQ(dash_mpd(golden_asset(), "mpd-time-csf"), read(kGoldenDir / "manifest.mpd"));
}

}  // namespace
}  // namespace twin::package
