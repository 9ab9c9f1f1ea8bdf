// Media Encoder Standard's encode step: one decode of the mezzanine feeds every layer of the
// preset; each layer is scaled and encoded with libx264 on its own thread into its own MP4
// (one track per file), with keyframes at exactly the same instants in every layer (fixed GOP,
// no scene-cut keyframes, closed GOPs). Audio goes to one AAC-only MP4. Then the .ism.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "encode/errors.h"
#include "encode/preset.h"

namespace twin::encode {

struct EncodeRequest {
  std::string input_path;
  std::string output_dir;
  std::string basename;  // {Basename}; empty: from the input file name
  Preset preset;
  std::string x264_preset = "medium";
  // libx264 threads per layer. 1 (the default) keeps outputs byte-identical from run to run;
  // more make a single encode faster on a large machine, but x264's threads with a VBV
  // (bitrate = maxrate) give slightly different bytes each run. Keyframes stay aligned.
  int x264_threads = 1;
  std::function<void(int percent)> on_progress;  // 0..100, from the decode position
  const std::atomic<bool>* cancel = nullptr;     // checked between packets
};

struct EncodedFile {
  std::string name;
  bool audio = false;
  int width = 0, height = 0;
  uint64_t bitrate = 0;  // measured, bits per second
};

struct EncodeResult {
  std::vector<EncodedFile> files;  // video layers highest first, then audio
  std::string ism_name;
  std::string ismc_name;
  double duration_seconds = 0;
};

// Throws EncodeError with a message naming the cause (unreadable input, no video, cancelled…);
// nothing it wrote is left behind then.
EncodeResult encode_file(const EncodeRequest& request);

}  // namespace twin::encode
