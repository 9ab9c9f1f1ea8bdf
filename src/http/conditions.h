// Conditional request headers (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since)
// evaluated against an entity's ETag and Last-Modified.
#pragma once

#include <string>
#include <string_view>

#include "common/time.h"

namespace twin::http {

enum class Precondition { pass, not_modified, failed };

struct ConditionHeaders {
  std::string_view if_match, if_none_match, if_modified_since, if_unmodified_since;
};

// etag is the quoted form; exists says whether the entity exists (If-Match fails without it).
// For reads a failed If-None-Match / If-Modified-Since is not_modified; for writes it is failed.
Precondition evaluate(const ConditionHeaders& h, bool exists, std::string_view etag,
                      timefmt::Instant last_modified, bool is_read);

}  // namespace twin::http
