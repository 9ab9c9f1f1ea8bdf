// One structured line per event, logfmt on stderr. Lines are whole (never interleaved) and
// written in batches every 10 ms; warnings and errors at once.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace twin::log {

enum class Level { debug, info, warn, error };

using Field = std::pair<std::string_view, std::string_view>;

void set_min_level(Level level);
// Appends a logfmt value: bare, or in quotes (with \" and \\ escaped, newlines as spaces) when
// it is empty or holds a space, quote, '=', tab or newline.
void append_value(std::string& out, std::string_view value);
void line(Level level, std::string_view event, std::initializer_list<Field> fields = {});
// For lines whose fields vary.
void line(Level level, std::string_view event, std::span<const Field> fields);

inline void info(std::string_view event, std::initializer_list<Field> fields = {}) {
  line(Level::info, event, fields);
}
inline void warn(std::string_view event, std::initializer_list<Field> fields = {}) {
  line(Level::warn, event, fields);
}
inline void error(std::string_view event, std::initializer_list<Field> fields = {}) {
  line(Level::error, event, fields);
}

}  // namespace twin::log
