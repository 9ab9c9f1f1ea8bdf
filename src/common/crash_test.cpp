#include "common/crash.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace twin::crash {
namespace {

// Under AddressSanitizer the handlers are not installed (its own report says more), so these
// tests exist only in the other builds.
#if !defined(__SANITIZE_ADDRESS__)

volatile int g_depth_limit = 1 << 30;  // never reached: the stack ends first

// Recurses until the stack is gone; the frame's array keeps it from becoming a loop.
int overflow(int depth) {
  volatile char frame[1024];
  frame[0] = static_cast<char>(depth);
  if (depth >= g_depth_limit) return 0;
  return overflow(depth + 1) + frame[0];
}

TEST(CrashDeathTest, AFatalSignalNamesTheRequest) {
  EXPECT_DEATH(
      {
        install();
        CurrentRequest current("req-1234", "GET /acct/asset-1/a.mp4?sig=REDACTED");
        raise(SIGSEGV);
      },
      "level=error event=crashed signal=SIGSEGV id=req-1234 "
      "request=\"GET /acct/asset-1/a.mp4\\?sig=REDACTED\" cause=");
}

TEST(CrashDeathTest, AStackOverflowIsReportedFromTheAlternateStack) {
  EXPECT_DEATH(
      {
        install();
        CurrentRequest current("req-deep", "POST /mediaa/api/Assets");
        overflow(0);
      },
      "event=crashed signal=SIGSEGV id=req-deep request=\"POST /mediaa/api/Assets\"");
}

TEST(CrashDeathTest, OutsideARequestItSaysSo) {
  EXPECT_DEATH(
      {
        install();
        { CurrentRequest done("req-old", "GET /"); }
        raise(SIGABRT);
      },
      "event=crashed signal=SIGABRT cause=\"outside any request\"");
}

#endif  // !__SANITIZE_ADDRESS__

}  // namespace
}  // namespace twin::crash
