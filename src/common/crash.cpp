#include "common/crash.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace twin::crash {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

constexpr size_t kIdBytes = 64, kWhatBytes = 384;
// 64 KiB: enough for the handler, which only copies bytes and calls write(2).
constexpr size_t kAltStackBytes = 64 * 1024;

// What the thread handles now; plain arrays, so the handler reads them without allocating.
thread_local char t_id[kIdBytes];
thread_local char t_what[kWhatBytes];
thread_local bool t_busy = false;
thread_local bool t_armed = false;

void copy_cut(char* out, size_t size, std::string_view text) {
  size_t n = std::min(text.size(), size - 1);
  std::memcpy(out, text.data(), n);
  out[n] = '\0';
  for (size_t i = 0; i < n; ++i)  // one log line, with no quotes inside the quoted value
    if (out[i] == '\n' || out[i] == '\r' || out[i] == '"') out[i] = '?';
}

// Appends text to the line being built in the handler (async-signal-safe: no allocation).
void append(char* line, size_t& used, size_t size, const char* text) {
  size_t n = std::min(std::strlen(text), size - 1 - used);
  std::memcpy(line + used, text, n);
  used += n;
}

const char* signal_name(int sig) {
  switch (sig) {
    case SIGSEGV:
      return "SIGSEGV";
    case SIGBUS:
      return "SIGBUS";
    case SIGFPE:
      return "SIGFPE";
    case SIGILL:
      return "SIGILL";
    case SIGABRT:
      return "SIGABRT";
    default:
      return "fatal";
  }
}

void on_fatal_signal(int sig) {
  char line[640];
  size_t used = 0;
  append(line, used, sizeof line, "level=error event=crashed signal=");
  append(line, used, sizeof line, signal_name(sig));
  if (t_busy) {
    append(line, used, sizeof line, " id=");
    append(line, used, sizeof line, t_id);
    append(line, used, sizeof line, " request=\"");
    append(line, used, sizeof line, t_what);
    append(line, used, sizeof line, "\" cause=\"the process died handling this request\"");
  } else {
    append(line, used, sizeof line, " cause=\"outside any request\"");
  }
  append(line, used, sizeof line, "\n");
  ssize_t ignored = ::write(STDERR_FILENO, line, used);
  (void)ignored;
  // SA_RESETHAND restored the default action: raising again ends the process as it would have.
  ::raise(sig);
}

void arm_this_thread() {
  if (t_armed) return;
  t_armed = true;
  // Never freed: the thread may die any time, and a thread's alternate stack is 64 KiB.
  static thread_local char* stack = new char[kAltStackBytes];
  stack_t ss{};
  ss.ss_sp = stack;
  ss.ss_size = kAltStackBytes;
  ::sigaltstack(&ss, nullptr);
}

}  // namespace

void install() {
  if (kSanitized) return;
  arm_this_thread();
  struct sigaction action {};
  action.sa_handler = on_fatal_signal;
  action.sa_flags = SA_ONSTACK | SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::sigaction(sig, &action, nullptr);
}

CurrentRequest::CurrentRequest(std::string_view id, std::string_view what) {
  if (!kSanitized) arm_this_thread();
  copy_cut(t_id, kIdBytes, id);
  copy_cut(t_what, kWhatBytes, what);
  t_busy = true;
}

CurrentRequest::~CurrentRequest() {
  t_busy = false;
}

}  // namespace twin::crash
