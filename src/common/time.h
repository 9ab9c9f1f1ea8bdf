// Wall-clock instants and the date formats of the wire protocols (RFC 1123, ISO 8601).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace twin::timefmt {

using Clock = std::chrono::system_clock;
using Instant = std::chrono::time_point<Clock, std::chrono::microseconds>;

Instant now();
Instant from_unix_micros(int64_t micros);
int64_t unix_micros(Instant t);

// "Wed, 25 Nov 2026 08:32:05 GMT"
std::string rfc1123(Instant t);
std::optional<Instant> parse_rfc1123(std::string_view text);

// "2026-11-25T08:32:05Z" (seconds only, as SAS uses)
std::string iso8601_seconds(Instant t);
// "2026-11-25T08:32:05.1234560Z" (seven fraction digits, as the Blob service writes)
std::string iso8601_7(Instant t);
// Accepts "YYYY-MM-DD", "YYYY-MM-DDThh:mmZ", "…:ssZ", "…:ss.fffffffZ" and a "+00:00" offset.
std::optional<Instant> parse_iso8601(std::string_view text);

}  // namespace twin::timefmt
