#include "common/log.h"

#include <unistd.h>

#include <atomic>

#include "common/time.h"

namespace twin::log {
namespace {
std::atomic<Level> g_min_level{Level::info};

const char* level_name(Level level) {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "info";
}

void append_value(std::string& out, std::string_view value) {
  bool quote = value.empty() || value.find_first_of(" \"=\n\t") != std::string_view::npos;
  if (!quote) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  out += '"';
}
}  // namespace

void set_min_level(Level level) {
  g_min_level = level;
}

void line(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (level < g_min_level.load(std::memory_order_relaxed)) return;
  std::string out;
  out.reserve(256);
  out += "ts=";
  out += timefmt::iso8601_7(timefmt::now());
  out += " level=";
  out += level_name(level);
  out += " event=";
  append_value(out, event);
  for (const auto& [key, value] : fields) {
    out += ' ';
    out += key;
    out += '=';
    append_value(out, value);
  }
  out += '\n';
  size_t written = 0;
  while (written < out.size()) {
    ssize_t n = ::write(STDERR_FILENO, out.data() + written, out.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
}

}  // namespace twin::log
