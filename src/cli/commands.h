// The twinorigin subcommands.
#pragma once

#include <CLI/CLI.hpp>

namespace twin::cli {

// Adds "serve" to the app; the callback runs the data center until SIGINT/SIGTERM.
void add_serve(CLI::App& app, int& exit_code);
// Adds "front": the failover front before the origins, until SIGINT/SIGTERM.
void add_front(CLI::App& app, int& exit_code);
// Adds "encode": a mezzanine into the preset's MP4 ladder and .ism.
void add_encode(CLI::App& app, int& exit_code);

// Adds "replicate": published assets from one data center into another (the walkthrough).
void add_replicate(CLI::App& app, int& exit_code);
// Adds "verify": published assets of one data center compared with their replicas.
void add_verify(CLI::App& app, int& exit_code);
// Adds "demo": two data centers, a front, the walkthrough and an outage drill on this machine.
void add_demo(CLI::App& app, int& exit_code);

}  // namespace twin::cli
