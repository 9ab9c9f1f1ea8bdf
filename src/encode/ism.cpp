#include "encode/ism.h"

#include "common/xml.h"

namespace twin::encode {
namespace {
void append_track(std::string& out, const IsmTrack& t) {
  std::string kind = t.audio ? "audio" : "video";
  std::string bitrate = std::to_string(t.system_bitrate);
  out +=
      "      <" + kind + " src=\"" + xml::escape(t.src) + "\" systemBitrate=\"" + bitrate + "\">\n";
  out += "        <param name=\"systemBitrate\" value=\"" + bitrate + "\" valuetype=\"data\" />\n";
  out += "        <param name=\"trackID\" value=\"" + std::to_string(t.track_id) +
         "\" valuetype=\"data\" />\n";
  out += "        <param name=\"trackName\" value=\"" + xml::escape(t.track_name) +
         "\" valuetype=\"data\" />\n";
  out += "      </" + kind + ">\n";
}
}  // namespace

std::string write_ism(const std::vector<IsmTrack>& tracks, const std::string& ismc_name) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<smil xmlns=\"http://www.w3.org/2001/SMIL20/Language\">\n"
      "  <head>\n";
  if (!ismc_name.empty())
    out += "    <meta name=\"clientManifestRelativePath\" content=\"" + xml::escape(ismc_name) +
           "\" />\n";
  out +=
      "    <meta name=\"formats\" content=\"mp4-v3\" />\n"
      "  </head>\n"
      "  <body>\n"
      "    <switch>\n";
  for (const auto& t : tracks)
    if (t.audio) append_track(out, t);
  for (const auto& t : tracks)
    if (!t.audio) append_track(out, t);
  out +=
      "    </switch>\n"
      "  </body>\n"
      "</smil>\n";
  return out;
}

}  // namespace twin::encode
