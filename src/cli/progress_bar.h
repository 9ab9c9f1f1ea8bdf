// A progress line for copies on a terminal (redrawn in place on stderr), or one line per
// finished file when stderr is not a terminal (logs, tests).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "client/copy_batch.h"

namespace twin::cli {

class CopyProgressBar {
 public:
  CopyProgressBar();
  void update(const std::vector<client::BlobCopy>& copies);
  void finish();  // ends the redrawn line

 private:
  bool tty_;
  bool drawn_ = false;
  std::set<std::string> reported_;
};

// One progress line for a long step (upload, encode): redrawn in place on a terminal, else a
// line at every quarter.
class ProgressLine {
 public:
  explicit ProgressLine(std::string label);
  void update(double fraction, const std::string& detail = {});
  void finish();

 private:
  std::string label_;
  bool tty_;
  int last_quarter_ = -1;
  bool drawn_ = false;
};

std::string human_bytes(uint64_t bytes);

}  // namespace twin::cli
