#include "front/retry_policy.h"

#include <charconv>

#include "common/strings.h"

namespace twin::front {

const char* to_string(UpstreamFailure failure) {
  switch (failure) {
    case UpstreamFailure::refused:
      return "refused";
    case UpstreamFailure::connect_timeout:
      return "connect timeout";
    case UpstreamFailure::reset:
      return "reset";
    case UpstreamFailure::first_byte_late:
      return "no first byte in time";
    case UpstreamFailure::server_error:
      return "5xx";
    case UpstreamFailure::body_interrupted:
      return "body interrupted";
  }
  return "failure";
}

bool retryable(std::string_view method, UpstreamFailure failure) {
  bool safe = method == "GET" || method == "HEAD";
  return safe && failure != UpstreamFailure::body_interrupted;
}

std::optional<Resume> plan_resume(std::string_view method, std::string_view etag,
                                  std::string_view request_range, uint64_t first_byte_promised,
                                  uint64_t total_promised, uint64_t sent) {
  // A weak ETag ("W/…") does not promise the same bytes, and If-Match needs a strong one.
  if (method != "GET" || etag.size() < 2 || etag.front() != '"' || sent >= total_promised)
    return std::nullopt;
  Resume r;
  r.from = first_byte_promised + sent;
  r.if_match = std::string(etag);
  r.range = "bytes=" + std::to_string(r.from) + "-";
  // A viewer who asked for a range gets no more than it: the end is kept.
  if (!request_range.empty()) r.range += std::to_string(first_byte_promised + total_promised - 1);
  return r;
}

std::optional<ContentRange> parse_content_range(std::string_view value) {
  constexpr std::string_view kPrefix = "bytes ";
  if (!value.starts_with(kPrefix)) return std::nullopt;
  value.remove_prefix(kPrefix.size());
  const char* end = value.data() + value.size();
  uint64_t first = 0, last = 0;
  auto [dash, ec1] = std::from_chars(value.data(), end, first);
  if (ec1 != std::errc() || dash == end || *dash != '-') return std::nullopt;
  auto [rest, ec2] = std::from_chars(dash + 1, end, last);
  if (ec2 != std::errc() || last < first) return std::nullopt;
  return ContentRange{first, last - first + 1};
}

bool continues(const Resume& resume, unsigned status, std::string_view etag,
               std::string_view content_range) {
  if (status != 206 || etag != resume.if_match) return false;
  auto range = parse_content_range(content_range);
  return range && range->first == resume.from;
}

bool range_or_condition(std::string_view name) {
  for (std::string_view n : {"range", "if-range", "if-match", "if-none-match", "if-modified-since",
                             "if-unmodified-since"})
    if (str::iequals(name, n)) return true;
  return false;
}

}  // namespace twin::front
