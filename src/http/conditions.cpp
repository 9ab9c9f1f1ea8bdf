#include "http/conditions.h"

#include "common/strings.h"

namespace twin::http {
namespace {
bool etag_list_matches(std::string_view list, std::string_view etag) {
  for (auto item : str::split(list, ',')) {
    item = str::trim(item);
    if (item == "*") return true;
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == etag) return true;
    // Some clients send the ETag without quotes.
    if (etag.size() >= 2 && item == etag.substr(1, etag.size() - 2)) return true;
  }
  return false;
}

int64_t seconds(timefmt::Instant t) {
  return timefmt::unix_micros(t) / 1'000'000;
}
}  // namespace

Precondition evaluate(const ConditionHeaders& h, bool exists, std::string_view etag,
                      timefmt::Instant last_modified, bool is_read) {
  if (!h.if_match.empty()) {
    if (!exists || !etag_list_matches(h.if_match, etag)) return Precondition::failed;
  } else if (!h.if_unmodified_since.empty() && exists) {
    auto t = timefmt::parse_rfc1123(h.if_unmodified_since);
    if (t && seconds(last_modified) > seconds(*t)) return Precondition::failed;
  }
  if (!h.if_none_match.empty()) {
    bool match =
        h.if_none_match == "*" ? exists : exists && etag_list_matches(h.if_none_match, etag);
    if (match) return is_read ? Precondition::not_modified : Precondition::failed;
  } else if (!h.if_modified_since.empty() && exists) {
    auto t = timefmt::parse_rfc1123(h.if_modified_since);
    if (t && seconds(last_modified) <= seconds(*t))
      return is_read ? Precondition::not_modified : Precondition::failed;
  }
  return Precondition::pass;
}

}  // namespace twin::http
