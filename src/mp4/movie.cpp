#include "mp4/movie.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "mp4/sample_tables.h"

namespace twin::mp4 {
namespace {

constexpr uint64_t kMaxMoovSize = 256ull << 20;

uint32_t track_id(Bytes tkhd) {
  BoxReader r(tkhd, "tkhd");
  auto [version, flags] = r.full_header();
  r.skip(version == 1 ? 16 : 8);  // creation and modification times
  return r.u32();
}

uint32_t media_timescale(Bytes mdhd) {
  BoxReader r(mdhd, "mdhd");
  auto [version, flags] = r.full_header();
  r.skip(version == 1 ? 16 : 8);
  uint32_t timescale = r.u32();
  if (timescale == 0) throw FormatError("a track has a zero timescale");
  return timescale;
}

TrackKind handler_kind(Bytes hdlr) {
  BoxReader r(hdlr, "hdlr");
  r.full_header();
  r.skip(4);
  std::string type = r.fourcc();
  return type == "vide" ? TrackKind::video : type == "soun" ? TrackKind::audio : TrackKind::other;
}

// The media time of the first non-empty edit; empty edits (delays) are not kept.
int64_t first_edit_media_time(Bytes trak) {
  auto edts = find_box(trak, "edts");
  if (!edts) return 0;
  auto elst = find_box(edts->payload, "elst");
  if (!elst) return 0;
  BoxReader r(elst->payload, "elst");
  auto [version, flags] = r.full_header();
  uint32_t count = r.u32();
  for (uint32_t i = 0; i < count; ++i) {
    int64_t media_time;
    if (version == 1) {
      r.skip(8);
      media_time = static_cast<int64_t>(r.u64());
    } else {
      r.skip(4);
      media_time = r.i32();
    }
    r.skip(4);  // rate
    if (media_time >= 0) return media_time;
  }
  return 0;
}

void read_sample_entry(Track& t, Bytes stsd) {
  BoxReader r(stsd, "stsd");
  r.full_header();
  if (r.u32() < 1) throw FormatError("a track has no sample description");
  BoxHeader h = parse_box_header(r.rest());
  if (h.size == 0 || h.size > r.remaining()) throw FormatError("the stsd box is truncated");
  Bytes entry = r.bytes(h.size);
  t.codec = h.type;
  t.sample_entry.assign(entry.begin(), entry.end());
  Bytes body = entry.subspan(h.header_size);
  if (t.kind == TrackKind::video) {
    BoxReader v(body, t.codec);
    v.skip(24);
    t.width = v.u16();
    t.height = v.u16();
    v.skip(50);
    if (t.codec == "avc1" || t.codec == "avc3")
      t.avc = parse_avcc(require_box(v.rest(), "avcC").payload);
  } else if (t.kind == TrackKind::audio && t.codec == "mp4a") {
    BoxReader a(body, t.codec);
    a.skip(28);
    t.aac = parse_esds(require_box(a.rest(), "esds").payload);
  }
}

Track parse_trak(Bytes trak) {
  Track t;
  t.id = track_id(require_box(trak, "tkhd").payload);
  Bytes mdia = require_box(trak, "mdia").payload;
  t.timescale = media_timescale(require_box(mdia, "mdhd").payload);
  t.kind = handler_kind(require_box(mdia, "hdlr").payload);
  t.edit_media_time = first_edit_media_time(trak);
  Bytes stbl = require_box(require_box(mdia, "minf").payload, "stbl").payload;
  read_sample_entry(t, require_box(stbl, "stsd").payload);
  t.samples = read_sample_tables(stbl);
  return t;
}

uint64_t file_size(int fd) {
  off_t end = ::lseek(fd, 0, SEEK_END);
  if (end < 0) throw std::system_error(errno, std::generic_category(), "lseek");
  return static_cast<uint64_t>(end);
}

void read_exact(int fd, uint8_t* out, size_t n, uint64_t offset) {
  while (n > 0) {
    ssize_t got = ::pread(fd, out, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw std::system_error(errno, std::generic_category(), "pread");
    if (got == 0) throw FormatError("the file ends inside a box");
    out += got;
    n -= static_cast<size_t>(got);
    offset += static_cast<uint64_t>(got);
  }
}

struct Fd {
  int fd;
  ~Fd() { ::close(fd); }
};

}  // namespace

const Track* Movie::first(TrackKind kind) const {
  for (const auto& t : tracks)
    if (t.kind == kind) return &t;
  return nullptr;
}

Movie parse_moov(Bytes payload) {
  Movie m;
  BoxReader mvhd(require_box(payload, "mvhd").payload, "mvhd");
  auto [version, flags] = mvhd.full_header();
  mvhd.skip(version == 1 ? 16 : 8);
  m.timescale = mvhd.u32();
  for_each_box(payload, [&](const Box& b) {
    if (b.type == "trak") m.tracks.push_back(parse_trak(b.payload));
  });
  if (m.tracks.empty()) throw FormatError("the movie has no tracks");
  return m;
}

Movie read_movie(const ReadAt& read_at, uint64_t size) {
  uint64_t pos = 0;
  while (size - pos >= 8) {
    uint8_t header[16] = {};
    size_t header_bytes = static_cast<size_t>(std::min<uint64_t>(16, size - pos));
    read_at(pos, header, header_bytes);
    BoxHeader h = parse_box_header(Bytes(header, header_bytes));
    uint64_t box_size = h.size == 0 ? size - pos : h.size;
    if (box_size > size - pos) throw FormatError("the file ends inside the " + h.type + " box");
    if (h.type == "moov") {
      if (box_size > kMaxMoovSize) throw FormatError("the moov box is larger than 256 MiB");
      std::vector<uint8_t> moov(box_size - h.header_size);
      read_at(pos + h.header_size, moov.data(), moov.size());
      return parse_moov(moov);
    }
    pos += box_size;
  }
  throw FormatError("the file has no moov box (not an MP4, or truncated)");
}

Movie read_movie(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
  Fd guard{fd};
  return read_movie(
      [fd](uint64_t offset, uint8_t* out, size_t n) { read_exact(fd, out, n, offset); },
      file_size(fd));
}

}  // namespace twin::mp4
