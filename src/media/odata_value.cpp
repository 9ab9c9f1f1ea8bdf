#include "media/odata_value.h"

#include <cctype>
#include <charconv>
#include <chrono>
#include <regex>

#include "common/time.h"
#include "media/errors.h"

namespace twin::media {
namespace {

constexpr char kDateMarker = '\x01';

std::optional<int64_t> parse_ms_date(std::string_view text) {
  // "/Date(1337049393000)/" (the JSON text's "\/" arrives here as "/")
  static const std::regex form(R"(^\\?/Date\((-?\d+)(?:[+-]\d{4})?\)\\?/$)");
  std::cmatch m;
  if (!std::regex_match(text.begin(), text.end(), m, form)) return std::nullopt;
  return std::stoll(m[1].str());
}

int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return int64_t(era) * 146097 + int64_t(doe) - 719468;
}

std::optional<int64_t> civil_ms(int y, int mo, int d, int h, int mi, int s, int64_t frac_ms) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi) * 60000 + int64_t(s) * 1000 + frac_ms;
}

std::optional<int64_t> parse_iso(std::string_view text) {
  static const std::regex form(
      R"(^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$)");
  std::cmatch m;
  if (!std::regex_match(text.begin(), text.end(), m, form)) return std::nullopt;
  auto num = [&](int i) { return m[i].matched ? std::stoi(m[i].str()) : 0; };
  int64_t frac = 0;
  if (m[7].matched) frac = std::stoi((m[7].str() + "000").substr(0, 3));
  auto ms = civil_ms(num(1), num(2), num(3), num(4), num(5), num(6), frac);
  if (!ms) return std::nullopt;
  std::string zone = m[8].str();
  if (!zone.empty() && zone != "Z") {
    int sign = zone[0] == '-' ? -1 : 1;
    int hh = std::stoi(zone.substr(1, 2)), mm = std::stoi(zone.substr(zone.size() - 2));
    *ms -= sign * (hh * 60 + mm) * 60000;
  }
  return ms;
}

std::optional<int64_t> parse_dotnet_general(std::string_view text) {
  static const std::regex form(R"(^(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ([AP]M)$)",
                               std::regex::icase);
  std::cmatch m;
  if (!std::regex_match(text.begin(), text.end(), m, form)) return std::nullopt;
  int hour = std::stoi(m[4].str());
  if (hour < 1 || hour > 12) return std::nullopt;
  bool pm = std::toupper(static_cast<unsigned char>(m[7].str()[0])) == 'P';
  hour = hour % 12 + (pm ? 12 : 0);
  return civil_ms(std::stoi(m[3].str()), std::stoi(m[1].str()), std::stoi(m[2].str()), hour,
                  std::stoi(m[5].str()), std::stoi(m[6].str()), 0);
}

template <class T>
std::optional<T> number_from(const Json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return static_cast<T>(v.get<int64_t>());
  if (v.is_number_float()) {
    double d = v.get<double>();
    if constexpr (std::is_integral_v<T>) {
      // Out of int64's range the cast itself is undefined (found by json_body_fuzz: 4.4e106).
      constexpr double kLimit = 9223372036854775808.0;  // 2^63
      if (!(d >= -kLimit && d < kLimit)) return std::nullopt;
      if (d != static_cast<double>(static_cast<int64_t>(d))) return std::nullopt;
    }
    return static_cast<T>(d);
  }
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  T out{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return out;
}

Json coerce_or_null(const Property& p, const Json& v) {
  switch (p.type) {
    case Edm::String:
      return v.is_string() ? v : v.is_number() ? Json(v.dump()) : Json();
    case Edm::Int32: {
      auto n = number_from<int64_t>(v);
      return n && *n >= INT32_MIN && *n <= INT32_MAX ? Json(*n) : Json();
    }
    case Edm::Int64:
      return number_from<int64_t>(v) ? Json(*number_from<int64_t>(v)) : Json();
    case Edm::Double:
      return number_from<double>(v) ? Json(*number_from<double>(v)) : Json();
    case Edm::Boolean:
      if (v.is_boolean()) return v;
      if (v == "true" || v == "True") return true;
      if (v == "false" || v == "False") return false;
      return Json();
    case Edm::DateTime: {
      auto ms = v.is_string() ? parse_datetime(v.get<std::string>()) : std::nullopt;
      return ms ? Json(*ms) : Json();
    }
    case Edm::Collection:
      return v.is_array() ? v : Json();
  }
  return Json();
}

}  // namespace

std::optional<int64_t> parse_datetime(std::string_view text) {
  if (auto ms = parse_ms_date(text)) return ms;
  if (auto ms = parse_iso(text)) return ms;
  return parse_dotnet_general(text);
}

std::string format_datetime(int64_t ms) {
  return timefmt::iso8601_7(timefmt::from_unix_micros(ms * 1000));
}

int64_t now_ms() {
  return timefmt::unix_micros(timefmt::now()) / 1000;
}

Json coerce(const Property& p, const Json& value) {
  if (value.is_null()) return value;
  Json out = coerce_or_null(p, value);
  if (out.is_null())
    throw bad_request("The value of property '" + p.name + "' is not of type " + edm_name(p.type) +
                      ": " + value.dump());
  return out;
}

Json wire_entity(const EntitySet& set, const Json& entity, bool verbose) {
  Json out = Json::object();
  for (const auto& p : set.properties) {
    auto it = entity.find(p.name);
    if (it == entity.end()) continue;
    const Json& v = *it;
    if (v.is_null()) {
      out[p.name] = nullptr;
    } else if (p.type == Edm::Int64) {
      out[p.name] = std::to_string(v.get<int64_t>());
    } else if (p.type == Edm::DateTime) {
      int64_t ms = v.get<int64_t>();
      out[p.name] =
          verbose ? std::string(1, kDateMarker) + std::to_string(ms) : format_datetime(ms);
    } else if (p.type == Edm::Double) {
      out[p.name] = v.get<double>();
    } else {
      out[p.name] = v;
    }
  }
  return out;
}

std::string dump_json(const Json& value) {
  std::string text = value.dump();
  // A marker string dumps as "\u0001<digits>"; rewrite it as WCF's "\/Date(<digits>)\/".
  static const std::string marker = "\"\\u0001";
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (true) {
    size_t at = text.find(marker, pos);
    if (at == std::string::npos) break;
    size_t digits = at + marker.size(), end = digits;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) ||
                                 (end == digits && text[end] == '-')))
      ++end;
    if (end == digits || end >= text.size() || text[end] != '"') {
      out.append(text, pos, digits - pos);
      pos = digits;
      continue;
    }
    out.append(text, pos, at - pos);
    out += "\"\\/Date(" + text.substr(digits, end - digits) + ")\\/\"";
    pos = end + 1;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

}  // namespace twin::media
