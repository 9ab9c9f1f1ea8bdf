#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "common/crash.h"

int main(int argc, char** argv) {
  twin::crash::install();  // a fatal signal names the request that caused it
  CLI::App app{"twinorigin: self-hosted media services that keep playing when a data center dies"};
  app.require_subcommand(1);
  int exit_code = 0;
  twin::cli::add_serve(app, exit_code);
  twin::cli::add_encode(app, exit_code);
  twin::cli::add_front(app, exit_code);
  twin::cli::add_replicate(app, exit_code);
  twin::cli::add_verify(app, exit_code);
  twin::cli::add_demo(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
