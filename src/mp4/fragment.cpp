#include "mp4/fragment.h"

#include "mp4/box_writer.h"
#include "mp4/timescale.h"

namespace twin::mp4 {
namespace {

constexpr uint32_t kSyncSampleFlags = 0x02000000;     // depends on no other sample
constexpr uint32_t kNonSyncSampleFlags = 0x01010000;  // depends on others, not a sync sample
constexpr uint32_t kTrunFlags = 0x000001 | 0x000100 | 0x000200 | 0x000400 | 0x000800;
constexpr uint8_t kTfxdUuid[16] = {0x6D, 0x1D, 0x9B, 0x05, 0x42, 0xD5, 0x44, 0xE6,
                                   0x80, 0xE2, 0x14, 0x1D, 0xAF, 0xF7, 0x57, 0xB2};

struct Timed {
  uint64_t decode;
  uint32_t duration;
  int32_t composition_offset;
};

// Sample times in the output timescale, each from the absolute time.
std::vector<Timed> output_times(const Track& t, const FragmentRequest& r, uint64_t timescale) {
  std::vector<Timed> out;
  out.reserve(r.sample_count);
  for (uint32_t i = r.first_sample; i < r.first_sample + r.sample_count; ++i) {
    const Sample& s = t.samples[i];
    uint64_t dts = rescale(s.decode_time, t.timescale, timescale);
    uint64_t end = rescale(s.decode_time + s.duration, t.timescale, timescale);
    int64_t pts_native = int64_t(s.decode_time) + s.composition_offset - r.composition_shift;
    int64_t pts = pts_native < 0 ? -int64_t(rescale(uint64_t(-pts_native), t.timescale, timescale))
                                 : int64_t(rescale(uint64_t(pts_native), t.timescale, timescale));
    out.push_back(
        {dts, static_cast<uint32_t>(end - dts), static_cast<int32_t>(pts - int64_t(dts))});
  }
  return out;
}

void write_traf(BoxWriter& w, const Track& t, const FragmentRequest& r,
                const std::vector<Timed>& times, size_t& data_offset_at) {
  size_t traf = w.begin("traf");
  size_t tfhd = w.begin_full("tfhd", 0, 0x020000);  // default-base-is-moof
  w.u32(t.id);
  w.end(tfhd);
  size_t tfdt = w.begin_full("tfdt", 1, 0);
  w.u64(times.front().decode);
  w.end(tfdt);
  size_t trun = w.begin_full("trun", 1, kTrunFlags);
  w.u32(r.sample_count);
  data_offset_at = w.size();
  w.u32(0);  // data offset, patched once the moof size is known
  bool video = t.kind == TrackKind::video;
  for (uint32_t k = 0; k < r.sample_count; ++k) {
    const Sample& s = t.samples[r.first_sample + k];
    w.u32(times[k].duration);
    w.u32(s.size);
    w.u32(!video || s.sync ? kSyncSampleFlags : kNonSyncSampleFlags);
    w.i32(times[k].composition_offset);
  }
  w.end(trun);
  if (r.smooth) {
    size_t tfxd = w.begin("uuid");
    w.bytes(Bytes(kTfxdUuid, 16));
    w.u8(1);
    w.u24(0);
    w.u64(times.front().decode);
    w.u64(times.back().decode + times.back().duration - times.front().decode);
    w.end(tfxd);
  }
  w.end(traf);
}

}  // namespace

uint64_t FragmentPlan::size() const {
  uint64_t total = header.size();
  for (const auto& r : ranges) total += r.length;
  return total;
}

FragmentPlan plan_fragment(const Track& t, const FragmentRequest& r) {
  if (r.sample_count == 0 || uint64_t(r.first_sample) + r.sample_count > t.samples.size())
    throw FormatError("the fragment's samples are outside the track");
  uint64_t timescale = r.timescale ? r.timescale : t.timescale;
  std::vector<Timed> times = output_times(t, r, timescale);
  FragmentPlan plan;
  BoxWriter w(plan.header);
  size_t moof = w.begin("moof");
  size_t mfhd = w.begin_full("mfhd", 0, 0);
  w.u32(r.sequence_number);
  w.end(mfhd);
  size_t data_offset_at = 0;
  write_traf(w, t, r, times, data_offset_at);
  w.end(moof);
  uint64_t payload = 0;
  for (uint32_t i = r.first_sample; i < r.first_sample + r.sample_count; ++i) {
    const Sample& s = t.samples[i];
    payload += s.size;
    if (!plan.ranges.empty() && plan.ranges.back().offset + plan.ranges.back().length == s.offset)
      plan.ranges.back().length += s.size;
    else
      plan.ranges.push_back({s.offset, s.size});
  }
  w.patch_u32(data_offset_at, static_cast<uint32_t>(w.size() + 8));
  w.u32(static_cast<uint32_t>(8 + payload));
  w.fourcc("mdat");
  return plan;
}

}  // namespace twin::mp4
