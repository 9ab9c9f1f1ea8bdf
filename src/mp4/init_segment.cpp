#include "mp4/init_segment.h"

#include "mp4/box_writer.h"

namespace twin::mp4 {
namespace {

void write_ftyp(BoxWriter& w) {
  size_t b = w.begin("ftyp");
  w.fourcc("iso6");
  w.u32(0);
  for (const char* brand : {"iso6", "cmfc", "dash", "mp41"}) w.fourcc(brand);
  w.end(b);
}

void write_matrix(BoxWriter& w) {
  for (uint32_t v : {0x00010000u, 0u, 0u, 0u, 0x00010000u, 0u, 0u, 0u, 0x40000000u}) w.u32(v);
}

void write_mvhd(BoxWriter& w, const Track& t) {
  size_t b = w.begin_full("mvhd", 0, 0);
  w.u32(0);  // creation and modification times: none, so both data centers write the same bytes
  w.u32(0);
  w.u32(t.timescale);
  w.u32(0);  // duration: unknown in a fragmented file
  w.u32(0x00010000);
  w.u16(0x0100);
  w.zeros(10);
  write_matrix(w);
  w.zeros(24);
  w.u32(t.id + 1);  // next track id
  w.end(b);
}

void write_tkhd(BoxWriter& w, const Track& t) {
  size_t b = w.begin_full("tkhd", 0, 3);  // enabled, in movie
  w.u32(0);
  w.u32(0);
  w.u32(t.id);
  w.u32(0);
  w.u32(0);  // duration
  w.zeros(8);
  w.u16(0);                                        // layer
  w.u16(0);                                        // alternate group
  w.u16(t.kind == TrackKind::audio ? 0x0100 : 0);  // volume
  w.u16(0);
  write_matrix(w);
  w.u32(static_cast<uint32_t>(t.width) << 16);
  w.u32(static_cast<uint32_t>(t.height) << 16);
  w.end(b);
}

void write_mdhd(BoxWriter& w, const Track& t) {
  size_t b = w.begin_full("mdhd", 0, 0);
  w.u32(0);
  w.u32(0);
  w.u32(t.timescale);
  w.u32(0);
  w.u16(0x55c4);  // "und"
  w.u16(0);
  w.end(b);
}

void write_hdlr(BoxWriter& w, const Track& t) {
  bool video = t.kind == TrackKind::video;
  size_t b = w.begin_full("hdlr", 0, 0);
  w.u32(0);
  w.fourcc(video ? "vide" : "soun");
  w.zeros(12);
  std::string name = video ? "VideoHandler" : "SoundHandler";
  w.bytes(Bytes(reinterpret_cast<const uint8_t*>(name.c_str()), name.size() + 1));
  w.end(b);
}

void write_empty_table(BoxWriter& w, const char* type, int extra_zero_words) {
  size_t b = w.begin_full(type, 0, 0);
  for (int i = 0; i < extra_zero_words; ++i) w.u32(0);
  w.end(b);
}

void write_stbl(BoxWriter& w, const Track& t) {
  size_t stbl = w.begin("stbl");
  size_t stsd = w.begin_full("stsd", 0, 0);
  w.u32(1);
  w.bytes(t.sample_entry);
  w.end(stsd);
  write_empty_table(w, "stts", 1);
  write_empty_table(w, "stsc", 1);
  write_empty_table(w, "stsz", 2);
  write_empty_table(w, "stco", 1);
  w.end(stbl);
}

void write_minf(BoxWriter& w, const Track& t) {
  size_t minf = w.begin("minf");
  if (t.kind == TrackKind::video) {
    size_t b = w.begin_full("vmhd", 0, 1);
    w.zeros(8);
    w.end(b);
  } else {
    size_t b = w.begin_full("smhd", 0, 0);
    w.zeros(4);
    w.end(b);
  }
  size_t dinf = w.begin("dinf");
  size_t dref = w.begin_full("dref", 0, 0);
  w.u32(1);
  size_t url = w.begin_full("url ", 0, 1);  // media in the same file
  w.end(url);
  w.end(dref);
  w.end(dinf);
  write_stbl(w, t);
  w.end(minf);
}

void write_mvex(BoxWriter& w, const Track& t) {
  size_t mvex = w.begin("mvex");
  size_t trex = w.begin_full("trex", 0, 0);
  w.u32(t.id);
  w.u32(1);  // sample description index
  w.u32(0);
  w.u32(0);
  w.u32(0);
  w.end(trex);
  w.end(mvex);
}

}  // namespace

std::string init_segment(const Track& t) {
  std::string out;
  BoxWriter w(out);
  write_ftyp(w);
  size_t moov = w.begin("moov");
  write_mvhd(w, t);
  size_t trak = w.begin("trak");
  write_tkhd(w, t);
  size_t mdia = w.begin("mdia");
  write_mdhd(w, t);
  write_hdlr(w, t);
  write_minf(w, t);
  w.end(mdia);
  w.end(trak);
  write_mvex(w, t);
  w.end(moov);
  return out;
}

}  // namespace twin::mp4
