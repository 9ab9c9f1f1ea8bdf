// One viewer request's way through the origins. start() sends it to the origin the pool chooses;
// a failure before the response head (refused, reset, no head within the budget, a 5xx) sends it
// on to the next origin at once, and a head that is late past the origin's hedge budget sends it
// to the next origin too, the first good head winning. next() reads the body, and when the
// origin fails mid-body it continues from another one with Range and If-Match (retry_policy.h),
// so the caller sees one whole body. The losers of a race are left to finish on their own
// budgets, so that a hung origin is still found out and marked down.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "front/front_state.h"
#include "front/retry_policy.h"
#include "http/upstream.h"

namespace twin::front {

class OriginFetch {
 public:
  OriginFetch(FrontState& state, http::UpstreamRequest request);
  ~OriginFetch();

  // True when an origin answered with a status below 500. False when none did: then
  // failed_status() is the last 5xx seen, or 0 when no origin answered at all.
  boost::asio::awaitable<bool> start();
  const http::UpstreamExchange::Head& head() const;
  unsigned status() const { return head().result_int(); }
  std::optional<uint64_t> content_length() const;
  Origin& served_by() const;
  unsigned failed_status() const { return failed_status_; }

  // The next body bytes, valid until the next call; empty at the end. Throws
  // http::UpstreamError when the body failed and no origin could continue it.
  boost::asio::awaitable<std::string_view> next();

  // What each origin did, for the log line: "A=503 B=200", "A=first byte timeout B=200".
  const std::string& trail() const { return trail_; }

  struct Try;

 private:
  boost::asio::awaitable<std::shared_ptr<Try>> race(const http::UpstreamRequest& request,
                                                    std::vector<Origin*> plan, bool resuming);
  boost::asio::awaitable<bool> resume();
  void note(const Origin& origin, std::string_view outcome);

  FrontState& state_;
  std::shared_ptr<const http::UpstreamRequest> request_;
  std::shared_ptr<Try> winner_;
  std::vector<Origin*> failed_;  // origins that failed this request, not asked again
  Origin* first_choice_ = nullptr;
  unsigned failed_status_ = 0;
  std::string trail_;
  // The part of the object the viewer was promised, and how much of it was received.
  uint64_t first_promised_ = 0, total_promised_ = 0, received_ = 0;
  std::string etag_;
};

}  // namespace twin::front
