// Encoding presets by the names Media Encoder Standard uses, and MES JSON presets given in a
// task's Configuration.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace twin::encode {

class PresetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct VideoLayer {
  int bitrate_kbps = 0;
  int max_bitrate_kbps = 0;
  int width = 0;
  int height = 0;
  int b_frames = 3;
  int reference_frames = 3;
  double buffer_window_seconds = 5;
  std::string profile = "Auto";
  std::string level = "auto";
};

struct AudioSettings {
  std::string profile = "AACLC";
  int channels = 2;
  int sample_rate = 48000;
  int bitrate_kbps = 128;
};

struct Preset {
  std::string name;
  double keyframe_interval_seconds = 2;
  std::vector<VideoLayer> layers;  // highest bitrate first
  std::optional<AudioSettings> audio;
  std::string file_name = "{Basename}_{Width}x{Height}_{VideoBitrate}.mp4";
};

// "H264 Multiple Bitrate 720p" (exact MES values), "… 1080p" (8 layers, 6000-400 kbps) and
// "… SD" (5 layers of 16:9 SD, 1900-400 kbps); names match without case. nullopt if unknown.
std::optional<Preset> builtin_preset(std::string_view name);
std::vector<std::string> builtin_preset_names();

// A preset in MES JSON form (Version, Codecs[H264Video with H264Layers, AACAudio], Outputs).
// Throws PresetError naming what is wrong.
Preset parse_mes_json(const std::string& json);

// The layers to encode for a source: layers larger than the source are dropped, never upscaled.
// A source smaller than every layer keeps the lowest layer at the source size (even dimensions).
std::vector<VideoLayer> layers_for_source(const Preset& preset, int source_width,
                                          int source_height);

// "{Basename}" is the input file name without its extension, at most 32 characters.
std::string basename_of(std::string_view input_file_name);
// Expands {Basename}, {Width}, {Height}, {VideoBitrate}, {Bitrate}, {Codec}.
std::string output_name(const std::string& pattern, const std::string& basename,
                        const VideoLayer& layer);

}  // namespace twin::encode
