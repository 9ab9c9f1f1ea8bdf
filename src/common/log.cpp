#include "common/log.h"

#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

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

bool needs_quotes(std::string_view value) {
  // A table, not find_first_of, which calls memchr once per character of the value.
  static constexpr auto kSpecial = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : {' ', '"', '=', '\n', '\t'}) t[c] = true;
    return t;
  }();
  if (value.empty()) return true;
  for (char c : value)
    if (kSpecial[static_cast<unsigned char>(c)]) return true;
  return false;
}

}  // namespace

void append_value(std::string& out, std::string_view value) {
  bool quote = needs_quotes(value);
  if (!quote) {
    out += value;
    return;
  }
  out += '"';
  // Runs without a character to escape are appended whole (paths with '=' are common here).
  size_t run = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c != '"' && c != '\\' && c != '\n') continue;
    out.append(value.data() + run, i - run);
    if (c == '\n') {
      out += ' ';
    } else {
      out += '\\';
      out += c;
    }
    run = i + 1;
  }
  out.append(value.data() + run, value.size() - run);
  out += '"';
}

namespace {

// Lines are gathered and written by a flusher thread every few milliseconds: a write(2) per
// request line costs about as much as serving a small request. Warnings and errors, and a full
// buffer, are written at once; what is pending is written at exit.
class Sink {
 public:
  static Sink& instance() {
    static Sink sink;
    return sink;
  }
  void write(const std::string& line, bool urgent) {
    std::unique_lock lock(mutex_);
    pending_ += line;
    if (urgent || pending_.size() >= kFlushBytes) flush_locked(lock);
  }
  ~Sink() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::unique_lock lock(mutex_);
    flush_locked(lock);
  }

 private:
  static constexpr size_t kFlushBytes = 64 * 1024;
  Sink() : thread_([this] { run(); }) {}
  void run() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
      wake_.wait_for(lock, std::chrono::milliseconds(10));
      flush_locked(lock);
    }
  }
  void flush_locked(std::unique_lock<std::mutex>& lock) {
    if (pending_.empty()) return;
    std::string out;
    out.swap(pending_);
    lock.unlock();
    {
      std::lock_guard write_lock(write_mutex_);  // keeps batches in order
      size_t written = 0;
      while (written < out.size()) {
        ssize_t n = ::write(STDERR_FILENO, out.data() + written, out.size() - written);
        if (n <= 0) break;
        written += static_cast<size_t>(n);
      }
    }
    lock.lock();
  }
  std::mutex mutex_, write_mutex_;
  std::condition_variable wake_;
  std::string pending_;
  bool stop_ = false;
  std::thread thread_;
};
}  // namespace

void set_min_level(Level level) {
  g_min_level = level;
}

void line(Level level, std::string_view event, std::initializer_list<Field> fields) {
  line(level, event, std::span<const Field>(fields.begin(), fields.size()));
}

void line(Level level, std::string_view event, std::span<const Field> fields) {
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
  Sink::instance().write(out, level >= Level::warn);
}

}  // namespace twin::log
