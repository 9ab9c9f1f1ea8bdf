#include "package/presentation.h"

#include <gtest/gtest.h>

#include "package/smooth_manifest.h"
#include "package/test_tracks.h"

namespace twin::package {
namespace {
using testing::audio_track;
using testing::video_track;

std::vector<uint64_t> starts(const Rendition& r) {
  std::vector<uint64_t> out;
  for (const auto& s : r.segments) out.push_back(s.start);
  return out;
}

TEST(Presentation, CutsVideoAtEachGop) {
  // 5 s at 25 fps, 2 s GOPs: 0, 2, 4 s; the 1 s tail is half the target and stays.
  auto p = build_presentation({{"v.mp4", "video", 1000, video_track(12800, 512, 125, 50)}});
  ASSERT_EQ(p.video.size(), 1u);
  EXPECT_EQ(starts(p.video[0]), (std::vector<uint64_t>{0, 25600, 51200}));
  EXPECT_EQ(p.video[0].segments[2].sample_count, 25u);
  EXPECT_EQ(p.video[0].segments[2].duration, 12800u);
  EXPECT_DOUBLE_EQ(p.duration_seconds, 5.0);
}

TEST(Presentation, MergesAShortTailIntoTheSegmentBefore) {
  auto p = build_presentation({{"v.mp4", "video", 1000, video_track(12800, 512, 110, 50)}});
  ASSERT_EQ(p.video[0].segments.size(), 2u);
  EXPECT_EQ(p.video[0].segments[1].sample_count, 60u);
  EXPECT_EQ(p.video[0].segments[1].first_sample, 50u);
}

TEST(Presentation, AudioCutsAtTheVideoCutsAndKeepsItsTail) {
  // Audio a little longer than the video (as AAC usually is) must not add a sliver segment.
  auto p = build_presentation({{"a.mp4", "aac", 128000, audio_track(236)},
                               {"v.mp4", "video", 1000, video_track(12800, 512, 125, 50)}});
  ASSERT_EQ(p.audio.size(), 1u);
  EXPECT_EQ(starts(p.audio[0]), (std::vector<uint64_t>{0, 94 * 1024, 188 * 1024}));
  EXPECT_EQ(p.audio[0].segments.back().sample_count, 236u - 188u);
}

TEST(Presentation, AlignsLayersWithDifferentTimescales) {
  auto p = build_presentation({{"low.mp4", "video", 400, video_track(90000, 3600, 125, 50)},
                               {"high.mp4", "video", 3400, video_track(12800, 512, 125, 50)}});
  ASSERT_EQ(p.video.size(), 2u);
  EXPECT_EQ(p.video[0].file, "high.mp4");  // highest bitrate first
  EXPECT_EQ(starts(p.video[1]), (std::vector<uint64_t>{0, 180000, 360000}));
}

TEST(Presentation, RefusesLayersThatAreNotGopAligned) {
  try {
    build_presentation({{"a.mp4", "video", 2000, video_track(12800, 512, 125, 50)},
                        {"b.mp4", "video", 1000, video_track(12800, 512, 125, 48)}});
    FAIL() << "expected a PackagingError";
  } catch (const PackagingError& e) {
    EXPECT_NE(std::string(e.what()).find("b.mp4"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("GOP-aligned"), std::string::npos) << e.what();
  }
}

TEST(Presentation, RefusesVideoWhoseSamplesHaveNoDuration) {
  // Found by mp4_packaging_fuzz: a division by zero (SIGFPE) before this was refused.
  auto frozen = video_track(12800, 0, 125, 50);  // every sample at time 0
  try {
    build_presentation({{"v.mp4", "video", 1, frozen}});
    FAIL() << "expected a PackagingError";
  } catch (const PackagingError& e) {
    EXPECT_NE(std::string(e.what()).find("no duration"), std::string::npos) << e.what();
  }
}

TEST(Presentation, RefusesWhatItCannotDescribe) {
  auto open_gop = video_track(12800, 512, 125, 50);
  open_gop.samples[0].sync = false;
  EXPECT_THROW(build_presentation({{"v.mp4", "video", 1, open_gop}}), PackagingError);
  auto hevc = video_track(12800, 512, 125, 50);
  hevc.codec = "hvc1";
  hevc.avc.reset();
  EXPECT_THROW(build_presentation({{"v.mp4", "video", 1, hevc}}), PackagingError);
  auto empty = video_track(12800, 512, 0, 50);
  EXPECT_THROW(build_presentation({{"v.mp4", "video", 1, empty}}), PackagingError);
  EXPECT_THROW(build_presentation({}), PackagingError);
}

TEST(Presentation, AudioOnlyAssetsUseTwoSecondSegments) {
  auto p = build_presentation({{"a.mp4", "aac", 128000, audio_track(300)}});  // 6.4 s
  // Cuts at 2.005, 4.011 and 6.016 s; the 0.38 s after the last is merged into the one before.
  EXPECT_EQ(starts(p.audio[0]), (std::vector<uint64_t>{0, 94 * 1024, 188 * 1024}));
  EXPECT_EQ(p.audio[0].segments.back().sample_count, 300u - 188u);
}

TEST(Presentation, SmoothTimesAreRoundedFromAbsoluteTimes) {
  // 29.97 fps with every frame a keyframe: 1001/30000 s = 333666.67 ticks of 100 ns.
  auto p = build_presentation({{"v.mp4", "video", 1, video_track(30000, 1001, 4, 1)}});
  EXPECT_EQ(smooth_fragment_times(p.video[0]),
            (std::vector<uint64_t>{0, 333667, 667333, 1001000, 1334667}));
}

}  // namespace
}  // namespace twin::package
