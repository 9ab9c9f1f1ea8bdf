#include "cli/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace twin::cli {

std::string human_bytes(uint64_t bytes) {
  char text[32];
  if (bytes < 1024 * 1024)
    std::snprintf(text, sizeof text, "%.1f KiB", double(bytes) / 1024);
  else
    std::snprintf(text, sizeof text, "%.1f MiB", double(bytes) / (1024 * 1024));
  return text;
}

CopyProgressBar::CopyProgressBar() : tty_(::isatty(STDERR_FILENO) == 1) {}

void CopyProgressBar::update(const std::vector<client::BlobCopy>& copies) {
  uint64_t done = 0, total = 0;
  std::string current;
  for (const auto& c : copies) {
    done += c.copied;
    total += c.size;
    bool finished = c.state == client::CopyState::success;
    if (!tty_ && finished && reported_.insert(c.name).second)
      std::cerr << "  copied " << c.name << " (" << human_bytes(c.size) << ")\n";
    if (c.state == client::CopyState::pending && current.empty() && c.size)
      current = c.name + " " + std::to_string(c.copied * 100 / c.size) + "%";
  }
  if (!tty_) return;
  int percent = total ? int(done * 100 / total) : 100;
  std::string bar(size_t(percent / 5), '#');
  bar.resize(20, '-');
  std::fprintf(stderr, "\r  [%s] %3d%% %s / %s  %-40.40s", bar.c_str(), percent,
               human_bytes(done).c_str(), human_bytes(total).c_str(), current.c_str());
  drawn_ = true;
}

void CopyProgressBar::finish() {
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

ProgressLine::ProgressLine(std::string label)
    : label_(std::move(label)), tty_(::isatty(STDERR_FILENO) == 1) {}

void ProgressLine::update(double fraction, const std::string& detail) {
  int percent = std::clamp(int(fraction * 100), 0, 100);
  if (!tty_) {
    if (percent / 25 <= last_quarter_) return;
    last_quarter_ = percent / 25;
    std::fprintf(stderr, "  %s %3d%% %s\n", label_.c_str(), percent, detail.c_str());
    return;
  }
  std::string bar(size_t(percent / 5), '#');
  bar.resize(20, '-');
  std::fprintf(stderr, "\r  %s [%s] %3d%% %-30.30s", label_.c_str(), bar.c_str(), percent,
               detail.c_str());
  drawn_ = true;
}

void ProgressLine::finish() {
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace twin::cli
