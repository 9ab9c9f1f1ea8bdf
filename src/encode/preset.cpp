#include "encode/preset.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/json_bounds.h"
#include "common/strings.h"

namespace twin::encode {
namespace {
using json = nlohmann::json;

VideoLayer layer(int kbps, int width, int height) {
  VideoLayer l;
  l.bitrate_kbps = l.max_bitrate_kbps = kbps;
  l.width = width;
  l.height = height;
  return l;
}

Preset multiple_bitrate_720p() {
  Preset p;
  p.name = "H264 Multiple Bitrate 720p";
  p.layers = {layer(3400, 1280, 720), layer(2250, 960, 540), layer(1500, 960, 540),
              layer(1000, 640, 360),  layer(650, 640, 360),  layer(400, 320, 180)};
  p.audio = AudioSettings{};
  return p;
}

// 8 layers, 6000 to 400 kbps: the 720p ladder under two 1080p layers.
Preset multiple_bitrate_1080p() {
  Preset p = multiple_bitrate_720p();
  p.name = "H264 Multiple Bitrate 1080p";
  p.layers.insert(p.layers.begin(), {layer(6000, 1920, 1080), layer(4700, 1920, 1080)});
  return p;
}

// 5 layers, 1900 to 400 kbps, 16:9 standard definition.
Preset multiple_bitrate_sd() {
  Preset p;
  p.name = "H264 Multiple Bitrate SD";
  p.layers = {layer(1900, 848, 480), layer(1300, 848, 480), layer(900, 640, 360),
              layer(650, 640, 360), layer(400, 432, 240)};
  p.audio = AudioSettings{};
  return p;
}

// "00:00:02" or "00:00:02.5" (a .NET TimeSpan) in seconds.
double timespan_seconds(const std::string& text, const char* field) {
  int h = 0, m = 0;
  double s = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%d:%d:%lf%c", &h, &m, &s, &tail) != 3 || h < 0 || m < 0 ||
      m > 59 || s < 0 || s >= 60)
    throw PresetError(std::string(field) + " must be a time span like 00:00:02, got '" + text +
                      "'");
  return h * 3600.0 + m * 60.0 + s;
}

int positive_int(const json& object, const char* field, int fallback, bool required) {
  if (!object.contains(field)) {
    if (required) throw PresetError(std::string("H264Layer needs ") + field);
    return fallback;
  }
  const json& v = object[field];
  int value = 0;
  if (v.is_number_integer())
    value = v.get<int>();
  else if (v.is_string())
    value = std::atoi(v.get<std::string>().c_str());
  else
    throw PresetError(std::string(field) + " must be a number");
  if (value <= 0) throw PresetError(std::string(field) + " must be positive");
  return value;
}

VideoLayer parse_layer(const json& j) {
  VideoLayer l;
  l.bitrate_kbps = positive_int(j, "Bitrate", 0, true);
  l.max_bitrate_kbps = positive_int(j, "MaxBitrate", l.bitrate_kbps, false);
  l.width = positive_int(j, "Width", 0, true);
  l.height = positive_int(j, "Height", 0, true);
  if (l.width % 2 || l.height % 2) throw PresetError("H264Layer Width and Height must be even");
  l.b_frames = j.contains("BFrames") ? j["BFrames"].get<int>() : 3;
  l.reference_frames = positive_int(j, "ReferenceFrames", 3, false);
  if (j.contains("BufferWindow"))
    l.buffer_window_seconds =
        timespan_seconds(j["BufferWindow"].get<std::string>(), "BufferWindow");
  l.profile = j.value("Profile", "Auto");
  l.level = j.value("Level", "auto");
  return l;
}
}  // namespace

std::optional<Preset> builtin_preset(std::string_view name) {
  for (auto make : {multiple_bitrate_720p, multiple_bitrate_1080p, multiple_bitrate_sd}) {
    Preset p = make();
    if (str::iequals(str::trim(name), p.name)) return p;
  }
  return std::nullopt;
}

std::vector<std::string> builtin_preset_names() {
  return {"H264 Multiple Bitrate 720p", "H264 Multiple Bitrate 1080p", "H264 Multiple Bitrate SD"};
}

Preset parse_mes_json(const std::string& text) {
  json j;
  try {
    j = jsonb::parse(text);
  } catch (const jsonb::TooDeep& e) {
    throw PresetError(std::string("the preset is ") + e.what());
  } catch (const jsonb::Invalid& e) {
    throw PresetError(std::string("the preset is not valid JSON: ") + e.what());
  }
  if (!j.is_object() || !j.contains("Codecs") || !j["Codecs"].is_array())
    throw PresetError("the preset needs a Codecs array");
  Preset p;
  p.name = "custom";
  try {
    for (const auto& codec : j["Codecs"]) {
      std::string type = codec.value("Type", "");
      if (type == "H264Video") {
        if (codec.contains("KeyFrameInterval"))
          p.keyframe_interval_seconds =
              timespan_seconds(codec["KeyFrameInterval"].get<std::string>(), "KeyFrameInterval");
        if (!codec.contains("H264Layers") || codec["H264Layers"].empty())
          throw PresetError("H264Video needs at least one H264Layer");
        for (const auto& l : codec["H264Layers"]) p.layers.push_back(parse_layer(l));
      } else if (type == "AACAudio") {
        AudioSettings a;
        a.profile = codec.value("Profile", "AACLC");
        a.channels = positive_int(codec, "Channels", 2, false);
        a.sample_rate = positive_int(codec, "SamplingRate", 48000, false);
        a.bitrate_kbps = positive_int(codec, "Bitrate", 128, false);
        p.audio = a;
      } else {
        throw PresetError("unsupported codec type '" + type + "'");
      }
    }
    if (j.contains("Outputs") && !j["Outputs"].empty())
      p.file_name = j["Outputs"][0].value("FileName", p.file_name);
  } catch (const json::exception& e) {
    throw PresetError(std::string("the preset has a field of the wrong type: ") + e.what());
  }
  if (p.layers.empty()) throw PresetError("the preset has no H264Video codec");
  if (p.keyframe_interval_seconds <= 0) throw PresetError("KeyFrameInterval must be positive");
  std::stable_sort(p.layers.begin(), p.layers.end(),
                   [](const auto& a, const auto& b) { return a.bitrate_kbps > b.bitrate_kbps; });
  return p;
}

std::vector<VideoLayer> layers_for_source(const Preset& preset, int source_width,
                                          int source_height) {
  std::vector<VideoLayer> out;
  for (const auto& l : preset.layers)
    if (l.width <= source_width && l.height <= source_height) out.push_back(l);
  if (out.empty() && !preset.layers.empty()) {
    VideoLayer lowest = preset.layers.back();
    lowest.width = std::max(2, source_width & ~1);
    lowest.height = std::max(2, source_height & ~1);
    out.push_back(lowest);
  }
  return out;
}

std::string basename_of(std::string_view input_file_name) {
  auto slash = input_file_name.find_last_of('/');
  if (slash != std::string_view::npos) input_file_name.remove_prefix(slash + 1);
  auto dot = input_file_name.find_last_of('.');
  if (dot != std::string_view::npos && dot > 0) input_file_name = input_file_name.substr(0, dot);
  return std::string(input_file_name.substr(0, 32));
}

std::string output_name(const std::string& pattern, const std::string& basename,
                        const VideoLayer& layer) {
  std::string out = pattern;
  auto replace_all = [&](const std::string& macro, const std::string& value) {
    for (size_t pos = 0; (pos = out.find(macro, pos)) != std::string::npos; pos += value.size())
      out.replace(pos, macro.size(), value);
  };
  replace_all("{Basename}", basename);
  replace_all("{Width}", std::to_string(layer.width));
  replace_all("{Height}", std::to_string(layer.height));
  replace_all("{VideoBitrate}", std::to_string(layer.bitrate_kbps));
  replace_all("{Bitrate}", std::to_string(layer.bitrate_kbps));
  replace_all("{Codec}", "H264");
  return out;
}

}  // namespace twin::encode
