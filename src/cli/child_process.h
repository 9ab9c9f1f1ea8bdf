// A child process of the demo (a data center's `serve`, the front): started from this same
// binary with its output in a log file, dying with its parent (PR_SET_PDEATHSIG), and stopped,
// killed, frozen or resumed by signal, so that the drill acts on real processes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace twin::cli {

class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();  // stops it
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Runs this binary with args; stdout and stderr append to log_path. Throws on failure.
  void start(const std::vector<std::string>& args, const std::string& log_path);
  bool running();
  void signal(int sig) const;
  void kill();  // SIGKILL, and reaps it
  // SIGCONT (a frozen process cannot stop), SIGTERM, then SIGKILL after the grace period.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  pid_t pid() const { return pid_; }

 private:
  bool reap(bool wait);
  pid_t pid_ = -1;
};

// Waits until the file holds JSON (a --ready-file), or throws naming the log to read.
nlohmann::json wait_for_ready_file(const std::string& path, ChildProcess& child,
                                   const std::string& log_path,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace twin::cli
