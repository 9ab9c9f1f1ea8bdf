#include "mp4/aac.h"

namespace twin::mp4 {
namespace {

// MPEG-4 descriptors: a tag, then a length of 1-4 bytes with 7 bits each.
struct Descriptor {
  uint8_t tag;
  Bytes body;
};

Descriptor read_descriptor(BoxReader& r) {
  Descriptor d{r.u8(), {}};
  size_t length = 0;
  for (int i = 0; i < 4; ++i) {
    uint8_t b = r.u8();
    length = length << 7 | (b & 0x7f);
    if (!(b & 0x80)) break;
  }
  d.body = r.bytes(length);
  return d;
}

constexpr int kSampleRates[] = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                22050, 16000, 12000, 11025, 8000,  7350};

void parse_audio_specific_config(AacConfig& c) {
  const auto& asc = c.audio_specific_config;
  if (asc.size() < 2) throw FormatError("the AudioSpecificConfig is too short");
  c.object_type = asc[0] >> 3;
  int rate_index = (asc[0] & 7) << 1 | asc[1] >> 7;
  if (c.object_type == 31 || rate_index >= 13)
    throw FormatError("the AudioSpecificConfig uses an escape this origin does not read");
  c.sample_rate = kSampleRates[rate_index];
  c.channels = (asc[1] >> 3) & 15;
}

}  // namespace

AacConfig parse_esds(Bytes payload) {
  BoxReader r(payload, "esds");
  r.full_header();
  Descriptor es = read_descriptor(r);
  if (es.tag != 3) throw FormatError("the esds box holds no ES_Descriptor");
  BoxReader esr(es.body, "ES_Descriptor");
  esr.skip(2);  // ES_ID
  uint8_t flags = esr.u8();
  if (flags & 0x80) esr.skip(2);         // dependsOn_ES_ID
  if (flags & 0x40) esr.skip(esr.u8());  // URL
  if (flags & 0x20) esr.skip(2);         // OCR_ES_Id
  Descriptor config = read_descriptor(esr);
  if (config.tag != 4) throw FormatError("the esds box holds no DecoderConfigDescriptor");
  BoxReader cr(config.body, "DecoderConfigDescriptor");
  if (cr.u8() != 0x40) throw FormatError("the audio track is not MPEG-4 AAC");
  cr.skip(12);  // stream type, buffer size, max and average bitrate
  Descriptor specific = read_descriptor(cr);
  if (specific.tag != 5) throw FormatError("the esds box holds no AudioSpecificConfig");
  AacConfig c;
  c.audio_specific_config.assign(specific.body.begin(), specific.body.end());
  parse_audio_specific_config(c);
  return c;
}

}  // namespace twin::mp4
