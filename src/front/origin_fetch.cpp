#include "front/origin_fetch.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>
#include <charconv>

namespace twin::front {
namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

struct OriginFetch::Try {
  enum class State { running, answered, failed };
  Origin* origin = nullptr;
  std::unique_ptr<http::UpstreamExchange> exchange;
  State state = State::running;
  std::string outcome;  // "200", "503", "connection refused"
  unsigned status = 0;  // 0 when no head was received
};

namespace {

UpstreamFailure failure_of(http::UpstreamErrorKind kind) {
  switch (kind) {
    case http::UpstreamErrorKind::refused:
      return UpstreamFailure::refused;
    case http::UpstreamErrorKind::connect_timeout:
      return UpstreamFailure::connect_timeout;
    case http::UpstreamErrorKind::first_byte_timeout:
      return UpstreamFailure::first_byte_late;
    case http::UpstreamErrorKind::body_timeout:
      return UpstreamFailure::body_interrupted;
    case http::UpstreamErrorKind::reset:
    case http::UpstreamErrorKind::cancelled:
      return UpstreamFailure::reset;
  }
  return UpstreamFailure::reset;
}

// Sends the request to one origin and reads its head; reports to the origin's health whatever
// happens, also when the race it ran in was already won by another origin.
net::awaitable<void> attempt(FrontState& state, std::shared_ptr<OriginFetch::Try> t,
                             std::shared_ptr<const http::UpstreamRequest> request,
                             std::shared_ptr<net::steady_timer> wake) {
  using State = OriginFetch::Try::State;
  auto started = Clock::now();
  std::string failure;
  try {
    auto exchange = co_await state.upstream(*t->origin).open();
    co_await exchange->start(*request);
    t->exchange = std::move(exchange);
  } catch (const http::UpstreamError& e) {
    failure = to_string(failure_of(e.kind()));
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (t->exchange) {
    t->status = t->exchange->status();
    t->outcome = std::to_string(t->status);
    if (t->status >= 500) {
      t->state = State::failed;
      state.request_failed(*t->origin, "status " + t->outcome);
    } else {
      t->state = State::answered;
      state.first_byte(*t->origin, Clock::now() - started);
    }
  } else {
    t->state = State::failed;
    t->outcome = failure;
    state.request_failed(*t->origin, failure);
  }
  wake->cancel();
}

bool safe_method(std::string_view method) {
  return method == "GET" || method == "HEAD";
}

std::string_view header_of(const http::UpstreamExchange::Head& head,
                           boost::beast::http::field name) {
  auto it = head.find(name);
  return it == head.end() ? std::string_view() : std::string_view(it->value());
}

}  // namespace

OriginFetch::OriginFetch(FrontState& state, http::UpstreamRequest request)
    : state_(state), request_(std::make_shared<http::UpstreamRequest>(std::move(request))) {}

OriginFetch::~OriginFetch() = default;

void OriginFetch::note(const Origin& origin, std::string_view outcome) {
  if (!trail_.empty()) trail_ += ' ';
  trail_ += origin.config.name;
  trail_ += '=';
  trail_ += outcome;
}

net::awaitable<std::shared_ptr<OriginFetch::Try>> OriginFetch::race(
    const http::UpstreamRequest& request, std::vector<Origin*> plan, bool resuming) {
  using State = Try::State;
  auto executor = co_await net::this_coro::executor;
  auto wake = std::make_shared<net::steady_timer>(executor);
  auto shared_request = std::make_shared<const http::UpstreamRequest>(request);
  std::vector<std::shared_ptr<Try>> tries;
  bool safe = safe_method(request.method);
  size_t next = 0;
  Clock::time_point hedge_at;
  auto launch = [&](bool hedge) {
    auto t = std::make_shared<Try>();
    t->origin = plan[next++];
    ++t->origin->requests;
    if (resuming) ++t->origin->resumes;
    if (hedge) ++t->origin->hedges;
    if (!hedge && tries.size() > 0) ++t->origin->retries;
    tries.push_back(t);
    hedge_at = Clock::now() + state_.hedge_budget(*t->origin);
    net::co_spawn(executor, attempt(state_, t, shared_request, wake), net::detached);
  };
  if (plan.empty()) co_return nullptr;
  launch(false);
  while (true) {
    auto winner = std::find_if(tries.begin(), tries.end(),
                               [](const auto& t) { return t->state == State::answered; });
    for (auto& t : tries)
      if (t->state == State::failed && !t->outcome.empty()) {
        note(*t->origin, t->outcome);
        if (t->status >= 500) failed_status_ = t->status;
        failed_.push_back(t->origin);
        t->outcome.clear();  // written once
      }
    if (winner != tries.end()) {
      for (auto& t : tries)
        if (t->state == State::running) note(*t->origin, "late");  // overtaken by a hedge
      note(*(*winner)->origin, (*winner)->outcome);
      co_return *winner;  // the others finish on their own budgets and are dropped
    }
    bool running = std::any_of(tries.begin(), tries.end(),
                               [](const auto& t) { return t->state == State::running; });
    bool more = safe && next < plan.size();
    if (!running) {
      if (!more) co_return nullptr;
      launch(false);  // a retry: the failure was before any response byte
      continue;
    }
    if (more && Clock::now() >= hedge_at) {
      launch(true);
      continue;
    }
    wake->expires_at(more ? hedge_at : Clock::time_point::max());
    co_await wake->async_wait(net::as_tuple(net::use_awaitable));
  }
}

net::awaitable<bool> OriginFetch::start() {
  auto plan = state_.plan();
  if (!plan.empty()) first_choice_ = plan.front();
  winner_ = co_await race(*request_, std::move(plan), false);
  if (!winner_) {
    ++state_.counters().no_origin;
    co_return false;
  }
  if (winner_->origin != first_choice_) ++state_.counters().failovers;
  const auto& head = winner_->exchange->head();
  etag_ = std::string(header_of(head, boost::beast::http::field::etag));
  auto length = winner_->exchange->content_length();
  if (winner_->status == 206) {
    if (auto range =
            parse_content_range(header_of(head, boost::beast::http::field::content_range))) {
      first_promised_ = range->first;
      total_promised_ = range->length;
    }
  } else if (length) {
    total_promised_ = *length;
  }
  co_return true;
}

const http::UpstreamExchange::Head& OriginFetch::head() const {
  return winner_->exchange->head();
}

std::optional<uint64_t> OriginFetch::content_length() const {
  return winner_->exchange->content_length();
}

Origin& OriginFetch::served_by() const {
  return *winner_->origin;
}

net::awaitable<std::string_view> OriginFetch::next() {
  while (true) {
    std::optional<http::UpstreamError> failure;
    try {
      auto chunk = co_await winner_->exchange->next();
      received_ += chunk.size();
      co_return chunk;
    } catch (const http::UpstreamError& e) {
      failure = e;
    }
    Origin& origin = *winner_->origin;
    std::string why = std::string("body cut after ") + std::to_string(received_) +
                      " bytes: " + to_string(failure_of(failure->kind()));
    state_.request_failed(origin, why);
    note(origin, "cut@" + std::to_string(received_));
    failed_.push_back(&origin);
    if (!co_await resume()) {
      ++state_.counters().cut_bodies;
      throw *failure;
    }
  }
}

// Continues the body from another origin: the bytes still owed, under the same ETag.
net::awaitable<bool> OriginFetch::resume() {
  std::string_view viewer_range;
  for (const auto& [name, value] : request_->headers)
    if (boost::beast::iequals(name, "range")) viewer_range = value;
  auto plan = plan_resume(request_->method, etag_, viewer_range, first_promised_, total_promised_,
                          received_);
  if (!plan) co_return false;
  http::UpstreamRequest request{request_->method, request_->target, {}};
  for (const auto& [name, value] : request_->headers) {
    if (!range_or_condition(name)) request.headers.emplace_back(name, value);
  }
  request.headers.emplace_back("Range", plan->range);
  request.headers.emplace_back("If-Match", plan->if_match);
  auto next = co_await race(request, state_.plan(failed_), true);
  if (!next) co_return false;
  const auto& head = next->exchange->head();
  if (!continues(*plan, next->status, header_of(head, boost::beast::http::field::etag),
                 header_of(head, boost::beast::http::field::content_range)))
    co_return false;
  winner_ = next;
  co_return true;
}

}  // namespace twin::front
