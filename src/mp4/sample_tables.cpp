#include "mp4/sample_tables.h"

namespace twin::mp4 {
namespace {

// Far above any real VOD file (10 hours at 120 fps), low enough to bound memory.
constexpr uint32_t kMaxSamples = 5'000'000;

std::vector<Sample> read_sizes(Bytes stsz) {
  BoxReader r(stsz, "stsz");
  r.full_header();
  uint32_t constant = r.u32(), count = r.u32();
  if (count > kMaxSamples) throw FormatError("the track has too many samples");
  if (constant == 0 && r.remaining() / 4 < count) throw FormatError("the stsz box is truncated");
  std::vector<Sample> samples(count);
  for (auto& s : samples) s.size = constant ? constant : r.u32();
  return samples;
}

void read_durations(std::vector<Sample>& samples, Bytes stts) {
  BoxReader r(stts, "stts");
  r.full_header();
  uint32_t entries = r.u32();
  size_t i = 0;
  uint64_t time = 0;
  for (uint32_t e = 0; e < entries; ++e) {
    uint32_t count = r.u32(), delta = r.u32();
    if (count > samples.size() - i) throw FormatError("the stts box counts more samples than stsz");
    for (uint32_t k = 0; k < count; ++k, ++i) {
      samples[i].decode_time = time;
      samples[i].duration = delta;
      time += delta;
    }
  }
  if (i != samples.size()) throw FormatError("the stts box counts fewer samples than stsz");
}

void read_composition_offsets(std::vector<Sample>& samples, Bytes ctts) {
  BoxReader r(ctts, "ctts");
  r.full_header();  // version 0 is read as signed too, as writers that emit negatives intend
  uint32_t entries = r.u32();
  size_t i = 0;
  for (uint32_t e = 0; e < entries; ++e) {
    uint32_t count = r.u32();
    int32_t offset = r.i32();
    if (count > samples.size() - i) throw FormatError("the ctts box counts more samples than stsz");
    for (uint32_t k = 0; k < count; ++k) samples[i++].composition_offset = offset;
  }
}

void read_sync(std::vector<Sample>& samples, std::optional<Box> stss) {
  if (!stss) {  // no table: every sample is a sync sample
    for (auto& s : samples) s.sync = true;
    return;
  }
  BoxReader r(stss->payload, "stss");
  r.full_header();
  uint32_t entries = r.u32();
  for (uint32_t e = 0; e < entries; ++e) {
    uint32_t number = r.u32();
    if (number == 0 || number > samples.size())
      throw FormatError("the stss box names a sample that does not exist");
    samples[number - 1].sync = true;
  }
}

std::vector<uint64_t> read_chunk_offsets(Bytes stbl) {
  auto stco = find_box(stbl, "stco");
  auto co64 = stco ? std::nullopt : find_box(stbl, "co64");
  if (!stco && !co64) throw FormatError("the track has no chunk offsets (stco or co64)");
  BoxReader r(stco ? stco->payload : co64->payload, stco ? "stco" : "co64");
  r.full_header();
  uint32_t count = r.u32();
  if (r.remaining() / (stco ? 4 : 8) < count)
    throw FormatError("the chunk offset box is truncated");
  std::vector<uint64_t> offsets(count);
  for (auto& o : offsets) o = stco ? r.u32() : r.u64();
  return offsets;
}

void read_offsets(std::vector<Sample>& samples, Bytes stbl) {
  std::vector<uint64_t> chunks = read_chunk_offsets(stbl);
  BoxReader r(require_box(stbl, "stsc").payload, "stsc");
  r.full_header();
  uint32_t entries = r.u32();
  struct Run {
    uint32_t first_chunk, per_chunk;
  };
  std::vector<Run> runs;
  for (uint32_t e = 0; e < entries; ++e) {
    Run run{r.u32(), r.u32()};
    r.skip(4);  // sample description index
    if (run.first_chunk == 0 || (!runs.empty() && run.first_chunk <= runs.back().first_chunk))
      throw FormatError("the stsc box is out of order");
    runs.push_back(run);
  }
  size_t i = 0;
  for (size_t e = 0; e < runs.size() && i < samples.size(); ++e) {
    uint64_t end_chunk = e + 1 < runs.size() ? runs[e + 1].first_chunk : chunks.size() + 1;
    for (uint64_t c = runs[e].first_chunk; c < end_chunk && i < samples.size(); ++c) {
      if (c > chunks.size()) throw FormatError("the stsc box names a chunk that does not exist");
      uint64_t offset = chunks[c - 1];
      for (uint32_t k = 0; k < runs[e].per_chunk && i < samples.size(); ++k) {
        samples[i].offset = offset;
        offset += samples[i++].size;
      }
    }
  }
  if (i != samples.size()) throw FormatError("the chunks hold fewer samples than stsz counts");
}

}  // namespace

std::vector<Sample> read_sample_tables(Bytes stbl) {
  std::vector<Sample> samples = read_sizes(require_box(stbl, "stsz").payload);
  read_durations(samples, require_box(stbl, "stts").payload);
  if (auto ctts = find_box(stbl, "ctts")) read_composition_offsets(samples, ctts->payload);
  read_sync(samples, find_box(stbl, "stss"));
  read_offsets(samples, stbl);
  return samples;
}

}  // namespace twin::mp4
