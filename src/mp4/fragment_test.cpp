// Fragments and init segments, read back with the box reader.
#include "mp4/fragment.h"

#include <gtest/gtest.h>

#include "mp4/init_segment.h"

namespace twin::mp4 {
namespace {

Bytes bytes_of(const std::string& s) {
  return Bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// Decode order I P B B, repeated; the encoder's B-frame delay of two frames (1024 ticks).
Track b_frame_track(bool contiguous) {
  Track t;
  t.id = 1;
  t.kind = TrackKind::video;
  t.timescale = 12800;
  t.edit_media_time = 1024;
  const int32_t offsets[] = {1024, 2048, 512, 512};
  uint64_t offset = 1000;
  for (uint32_t i = 0; i < 8; ++i) {
    t.samples.push_back({offset, i * 512ull, offsets[i % 4], 100 + i, 512, i % 4 == 0});
    offset += 100 + i + (contiguous || i != 5 ? 0 : 7);  // a gap after sample 5 when asked
  }
  return t;
}

// The moof at the start of a fragment header (the mdat header after it announces bytes that are
// not in the header, so the header as a whole is not a complete box sequence).
Box moof_of(const std::string& header) {
  BoxHeader h = parse_box_header(bytes_of(header));
  Bytes whole = bytes_of(header).subspan(0, h.size);
  return Box{h.type, whole.subspan(h.header_size), whole};
}

struct Trun {
  uint8_t version;
  int32_t data_offset;
  std::vector<uint32_t> durations, sizes, flags;
  std::vector<int32_t> offsets;
};

Trun read_trun(const std::string& header, uint64_t& tfdt, size_t& moof_size) {
  Box moof = moof_of(header);
  moof_size = moof.whole.size();
  Box traf = require_box(moof.payload, "traf");
  BoxReader d(require_box(traf.payload, "tfdt").payload, "tfdt");
  auto [dv, df] = d.full_header();
  tfdt = dv == 1 ? d.u64() : d.u32();
  BoxReader r(require_box(traf.payload, "trun").payload, "trun");
  Trun out{};
  auto [version, flags] = r.full_header();
  out.version = version;
  uint32_t count = r.u32();
  out.data_offset = r.i32();
  for (uint32_t i = 0; i < count; ++i) {
    out.durations.push_back(r.u32());
    out.sizes.push_back(r.u32());
    out.flags.push_back(r.u32());
    out.offsets.push_back(r.i32());
  }
  return out;
}

TEST(Fragment, ShiftsCompositionSoTheFirstFrameIsAtZero) {
  Track t = b_frame_track(true);
  FragmentPlan plan = plan_fragment(t, {4, 4, 2, t.edit_media_time, 0, false});
  uint64_t tfdt = 0;
  size_t moof_size = 0;
  Trun trun = read_trun(plan.header, tfdt, moof_size);
  EXPECT_EQ(tfdt, 2048u);
  EXPECT_EQ(trun.version, 1);  // signed offsets
  EXPECT_EQ(trun.offsets, (std::vector<int32_t>{0, 1024, -512, -512}));
  EXPECT_EQ(trun.flags[0], 0x02000000u);
  EXPECT_EQ(trun.flags[1], 0x01010000u);
  EXPECT_EQ(trun.data_offset, static_cast<int32_t>(moof_size + 8));
  // The mdat header ends the header; its size covers the samples.
  std::string mdat_header = plan.header.substr(moof_size);
  BoxReader mdat(bytes_of(mdat_header), "mdat");
  EXPECT_EQ(mdat.u32(), 8u + 104 + 105 + 106 + 107);
  EXPECT_EQ(mdat.fourcc(), "mdat");
  ASSERT_EQ(plan.ranges.size(), 1u);  // contiguous samples: one range
  EXPECT_EQ(plan.ranges[0].offset, t.samples[4].offset);
  EXPECT_EQ(plan.size(), plan.header.size() + 104 + 105 + 106 + 107);
}

TEST(Fragment, SplitsRangesAtGaps) {
  Track t = b_frame_track(false);
  FragmentPlan plan = plan_fragment(t, {4, 4, 2, 0, 0, false});
  ASSERT_EQ(plan.ranges.size(), 2u);
  EXPECT_EQ(plan.ranges[0].length, 104u + 105);
  EXPECT_EQ(plan.ranges[1].offset, t.samples[6].offset);
}

TEST(Fragment, SmoothTimesAreTenMegahertzWithTfxd) {
  Track t = b_frame_track(true);
  t.timescale = 30000;  // 512 ticks = 170666.67 hns: durations must still sum exactly
  FragmentPlan plan = plan_fragment(t, {1, 3, 1, 0, 10'000'000, true});
  uint64_t tfdt = 0;
  size_t moof_size = 0;
  Trun trun = read_trun(plan.header, tfdt, moof_size);
  EXPECT_EQ(tfdt, 170667u);  // round(512 * 10^7 / 30000)
  uint64_t sum = 0;
  for (auto d : trun.durations) sum += d;
  EXPECT_EQ(tfdt + sum, 682667u);  // round(2048 * 10^7 / 30000)
  Box traf = require_box(moof_of(plan.header).payload, "traf");
  Box uuid = require_box(traf.payload, "uuid");
  BoxReader r(uuid.payload, "uuid");
  r.skip(16);
  EXPECT_EQ(r.u8(), 1);
  r.skip(3);
  EXPECT_EQ(r.u64(), tfdt);
  EXPECT_EQ(r.u64(), sum);
}

TEST(Fragment, RefusesSamplesOutsideTheTrack) {
  Track t = b_frame_track(true);
  EXPECT_THROW(plan_fragment(t, {6, 4, 1, 0, 0, false}), FormatError);
  EXPECT_THROW(plan_fragment(t, {0, 0, 1, 0, 0, false}), FormatError);
}

TEST(InitSegment, CarriesTheSampleEntryTimescaleAndTrex) {
  Track t = b_frame_track(true);
  t.width = 640;
  t.height = 360;
  t.sample_entry = {0, 0, 0, 12, 'a', 'v', 'c', '1', 1, 2, 3, 4};
  std::string init = init_segment(t);
  Bytes all = bytes_of(init);
  Box ftyp = require_box(all, "ftyp");
  EXPECT_EQ(std::string(ftyp.payload.begin(), ftyp.payload.begin() + 4), "iso6");
  Box moov = require_box(all, "moov");
  Box mdia = require_box(require_box(moov.payload, "trak").payload, "mdia");
  BoxReader mdhd(require_box(mdia.payload, "mdhd").payload, "mdhd");
  mdhd.skip(12);
  EXPECT_EQ(mdhd.u32(), 12800u);
  Box stbl = require_box(require_box(mdia.payload, "minf").payload, "stbl");
  Box stsd = require_box(stbl.payload, "stsd");
  EXPECT_EQ(std::vector<uint8_t>(stsd.payload.begin() + 8, stsd.payload.end()), t.sample_entry);
  BoxReader trex(require_box(require_box(moov.payload, "mvex").payload, "trex").payload, "trex");
  trex.full_header();
  EXPECT_EQ(trex.u32(), t.id);
  EXPECT_FALSE(find_box(moov.payload, "udta"));  // nothing that could differ between hosts
}

}  // namespace
}  // namespace twin::mp4
