#include "origin/ism_reader.h"

#include <charconv>
#include <pugixml.hpp>

namespace twin::origin {
namespace {

std::string param(const pugi::xml_node& n, const char* name) {
  for (auto p : n.children("param"))
    if (std::string(p.attribute("name").value()) == name) return p.attribute("value").value();
  return "";
}

uint64_t number(const std::string& text) {
  uint64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

}  // namespace

std::vector<IsmEntry> parse_ism(const std::string& text, const std::string& ism_name) {
  pugi::xml_document doc;
  if (!doc.load_string(text.c_str()))
    throw AssetError(415, ism_name + " is not an XML server manifest");
  std::vector<IsmEntry> out;
  for (auto n : doc.child("smil").child("body").child("switch").children()) {
    std::string kind = n.name();
    if (kind != "video" && kind != "audio") continue;
    IsmEntry e{n.attribute("src").value(), param(n, "trackName"), kind == "audio", 0, 0};
    e.bitrate = n.attribute("systemBitrate").as_ullong(number(param(n, "systemBitrate")));
    e.track_id = static_cast<uint32_t>(number(param(n, "trackID")));
    if (e.src.empty()) throw AssetError(415, ism_name + " has an entry without src");
    out.push_back(e);
  }
  if (out.empty()) throw AssetError(415, ism_name + " lists no audio or video files");
  return out;
}

}  // namespace twin::origin
