// What the front does when an origin fails a viewer request. Before the response has started
// (refused, reset, no first byte within the budget, a 5xx) a GET or HEAD goes to the next origin
// within the same viewer request, and the failure marks the origin down (passive health). After
// it has started, a GET whose response carried an ETag is continued from the next origin with a
// Range from the bytes already sent and If-Match on that ETag: both data centers serve the same
// bytes under the same ETag, so the viewer gets one whole response (nginx retries "only if
// nothing has been sent to a client yet"). Every failure, including a cut body, marks the origin
// down at once: a healthy origin neither resets, stalls nor answers 5xx.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace twin::front {

enum class UpstreamFailure {
  refused,           // connect refused or unreachable
  connect_timeout,   // no connection within the budget
  reset,             // the connection closed or reset
  first_byte_late,   // no response head within the budget
  server_error,      // a 5xx status
  body_interrupted,  // the body stopped after the head was received
};
const char* to_string(UpstreamFailure failure);

// Whether the request may go to another origin. Only safe methods are retried; a failure after
// the body started is for resume(), not for a retry from scratch.
bool retryable(std::string_view method, UpstreamFailure failure);

// How to continue a body that was cut after `sent` bytes of the response the viewer is getting.
struct Resume {
  std::string range;     // the Range header for the next origin, "bytes=<from>-[<to>]"
  std::string if_match;  // the ETag the rest must carry
  uint64_t from = 0;     // the first byte (of the whole object) still owed
};
// nullopt when it cannot be resumed: not a GET, no strong ETag, or nothing is owed.
// request_range is the viewer's own Range header (empty for the whole object); total is the
// length of what the viewer was promised.
std::optional<Resume> plan_resume(std::string_view method, std::string_view etag,
                                  std::string_view request_range, uint64_t first_byte_promised,
                                  uint64_t total_promised, uint64_t sent);

// "bytes 100-199/1000" → {100, 100}; nullopt when malformed.
struct ContentRange {
  uint64_t first = 0, length = 0;
};
std::optional<ContentRange> parse_content_range(std::string_view value);

// The viewer headers a whole-object fetch or a resume replaces: Range and the conditionals.
bool range_or_condition(std::string_view header_name);

// Whether a resumed response continues exactly where the first stopped: 206, the same ETag, and
// a Content-Range starting at resume.from.
bool continues(const Resume& resume, unsigned status, std::string_view etag,
               std::string_view content_range);

}  // namespace twin::front
