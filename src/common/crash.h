// A crash must not be silent: when a fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT)
// ends the process, one log line names the request the crashing thread was handling, so the
// operator knows which request did it. Then the signal does what it always does (core, exit).
// Under AddressSanitizer nothing is installed: its own report says more.
#pragma once

#include <string_view>

namespace twin::crash {

// Installs the handlers for the whole process; call once at start.
void install();

// Marks the request this thread handles for as long as it lives (id and "METHOD path", cut to a
// few hundred bytes). Also gives the thread an alternate signal stack the first time, so that
// a stack overflow can still be reported.
class CurrentRequest {
 public:
  CurrentRequest(std::string_view id, std::string_view what);
  ~CurrentRequest();
  CurrentRequest(const CurrentRequest&) = delete;
  CurrentRequest& operator=(const CurrentRequest&) = delete;
};

}  // namespace twin::crash
