// twinorigin encode INPUT --preset NAME --out DIR: the encoder of issue 3 on the command line,
// with a progress bar.
#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "encode/av.h"
#include "encode/transcoder.h"

namespace twin::cli {
namespace {

std::atomic<bool> g_cancel{false};

encode::Preset load_preset(const std::string& name_or_file) {
  if (auto p = encode::builtin_preset(name_or_file)) return *p;
  std::ifstream in(name_or_file);
  if (!in)
    throw encode::PresetError("unknown preset '" + name_or_file + "' (known: " +
                              encode::builtin_preset_names().front() + ", or a MES JSON file)");
  std::stringstream text;
  text << in.rdbuf();
  return encode::parse_mes_json(text.str());
}

void draw(int percent) {
  int filled = percent / 4;
  std::cerr << "\r[" << std::string(filled, '#') << std::string(25 - filled, ' ') << "] " << percent
            << "%" << std::flush;
}

}  // namespace

void add_encode(CLI::App& app, int& exit_code) {
  struct Options {
    std::string input, preset = "H264 Multiple Bitrate 720p", out, x264_preset = "medium";
    int x264_threads = 1;
  };
  auto options = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("encode", "Encode a mezzanine into a GOP-aligned MP4 ladder");
  cmd->add_option("input", options->input, "Input media file")->required();
  cmd->add_option("--preset", options->preset, "Preset name or MES JSON file");
  cmd->add_option("--out", options->out, "Output directory")->required();
  cmd->add_option("--x264-preset", options->x264_preset, "libx264 speed preset");
  cmd->add_option("--x264-threads", options->x264_threads,
                  "libx264 threads per layer; above 1 faster on many cores, not byte-repeatable")
      ->check(CLI::Range(1, 16));
  cmd->callback([options, &exit_code] {
    std::signal(SIGINT, [](int) { g_cancel = true; });
    try {
      encode::EncodeRequest req;
      req.input_path = options->input;
      req.output_dir = options->out;
      req.preset = load_preset(options->preset);
      req.x264_preset = options->x264_preset;
      req.x264_threads = options->x264_threads;
      req.on_progress = draw;
      req.cancel = &g_cancel;
      auto result = encode::encode_file(req);
      std::cerr << "\n";
      for (const auto& f : result.files) std::cout << f.name << "\t" << f.bitrate << " bit/s\n";
      std::cout << result.ism_name << "\n" << result.ismc_name << "\n";
    } catch (const std::exception& e) {
      std::cerr << "\ntwinorigin encode: " << e.what() << std::endl;
      exit_code = 1;
    }
  });
}

}  // namespace twin::cli
