#include "common/time.h"

#include <cstdint>
#include <cstdio>
#include <ctime>

namespace twin::timefmt {
namespace {
constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::tm to_tm(Instant t) {
  std::time_t secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

Instant from_tm(std::tm tm, int64_t micros) {
  int64_t secs = timegm(&tm);
  return from_unix_micros(secs * 1'000'000 + micros);
}

bool parse_digits(std::string_view s, size_t pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

Instant now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(Clock::now());
}

Instant from_unix_micros(int64_t micros) {
  return Instant(std::chrono::microseconds(micros));
}

int64_t unix_micros(Instant t) {
  return t.time_since_epoch().count();
}

std::string rfc1123(Instant t) {
  std::tm tm = to_tm(t);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::optional<Instant> parse_rfc1123(std::string_view text) {
  // "Wed, 25 Nov 2026 08:32:05 GMT"
  if (text.size() != 29 || text.substr(25) != " GMT") return std::nullopt;
  std::tm tm{};
  int day, year, hour, minute, second;
  if (!parse_digits(text, 5, 2, day) || !parse_digits(text, 12, 4, year) ||
      !parse_digits(text, 17, 2, hour) || !parse_digits(text, 20, 2, minute) ||
      !parse_digits(text, 23, 2, second))
    return std::nullopt;
  int month = -1;
  for (int m = 0; m < 12; ++m)
    if (text.substr(8, 3) == kMonths[m]) month = m;
  if (month < 0) return std::nullopt;
  tm.tm_mday = day;
  tm.tm_mon = month;
  tm.tm_year = year - 1900;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return from_tm(tm, 0);
}

std::string iso8601_seconds(Instant t) {
  std::tm tm = to_tm(t);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string iso8601_7(Instant t) {
  int64_t us = unix_micros(t);
  int64_t micros = us % 1'000'000, secs = us / 1'000'000;
  if (micros < 0) micros += 1'000'000, secs -= 1;
  // Every log line stamps the time: the part up to the second is formatted once a second.
  thread_local int64_t cached_secs = INT64_MIN;
  thread_local std::string cached_prefix;
  if (secs != cached_secs) {
    std::tm tm = to_tm(t);
    char buf[80];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_prefix = buf;
    cached_secs = secs;
  }
  std::string out = cached_prefix;
  char digits[8] = "0000000";
  for (int i = 5; i >= 0; --i, micros /= 10) digits[i] = static_cast<char>('0' + micros % 10);
  out.append(digits, 7);  // six digits of microseconds and a seventh, always 0
  out += 'Z';
  return out;
}

std::optional<Instant> parse_iso8601(std::string_view s) {
  std::tm tm{};
  int year, month, day, hour = 0, minute = 0, second = 0;
  if (!parse_digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || s[7] != '-' ||
      !parse_digits(s, 5, 2, month) || !parse_digits(s, 8, 2, day))
    return std::nullopt;
  size_t pos = 10;
  int64_t micros = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' || !parse_digits(s, pos + 1, 2, hour) || s.size() < pos + 6 ||
        s[pos + 3] != ':' || !parse_digits(s, pos + 4, 2, minute))
      return std::nullopt;
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!parse_digits(s, pos + 1, 2, second)) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int64_t scale = 100000;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          micros += (s[pos] - '0') * scale;
          scale /= 10;
          ++pos;
        }
      }
    }
    std::string_view zone = s.substr(pos);
    if (zone != "Z" && zone != "+00:00" && !zone.empty()) return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return from_tm(tm, micros);
}

}  // namespace twin::timefmt
