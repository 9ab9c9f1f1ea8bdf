#include "http/fault_injection.h"

#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include "common/log.h"
#include "http/target.h"

namespace twin::http {
namespace bhttp = boost::beast::http;

namespace {

Response text(unsigned status, std::string body, std::string_view type = "text/plain") {
  Response res{bhttp::status(status), 11};
  res.set(bhttp::field::content_type, type);
  res.set(bhttp::field::cache_control, "no-store");
  res.body().text = std::move(body);
  res.prepare_payload();
  return res;
}

std::string describe(const Fault& fault) {
  nlohmann::json j = {{"mode", to_string(fault.mode)}};
  if (fault.mode == FaultMode::slow) j["delay_ms"] = fault.delay.count();
  return j.dump() + "\n";
}

}  // namespace

std::string to_string(FaultMode mode) {
  switch (mode) {
    case FaultMode::off:
      return "off";
    case FaultMode::unavailable:
      return "503";
    case FaultMode::slow:
      return "slow";
  }
  return "off";
}

Fault FaultInjection::current() const {
  std::lock_guard lock(mutex_);
  return fault_;
}

void FaultInjection::set(Fault fault) {
  std::lock_guard lock(mutex_);
  fault_ = fault;
}

bool FaultInjection::is_control(std::string_view target) {
  return target == "/faults" || target.starts_with("/faults?");
}

Response FaultInjection::control(Exchange& ex) {
  if (ex.request[bhttp::field::authorization] != "Bearer " + key_) {
    ex.log_cause = "fault control refused: wrong or missing key";
    auto res = text(401, "The fault key is missing or wrong.\n");
    res.set(bhttp::field::www_authenticate, "Bearer");
    return res;
  }
  auto method = ex.request.method();
  if (method == bhttp::verb::get) return text(200, describe(current()), "application/json");
  if (method != bhttp::verb::post) {
    ex.log_cause = "fault control: method not allowed";
    auto res = text(405, "GET or POST /faults\n");
    res.set(bhttp::field::allow, "GET, POST");
    return res;
  }
  Target target(ex.request.target());
  std::string mode = target.param_or("mode", "");
  Fault fault;
  if (mode == "503") {
    fault.mode = FaultMode::unavailable;
  } else if (mode == "slow") {
    fault.mode = FaultMode::slow;
    std::string delay = target.param_or("delay_ms", "3000");
    char* end = nullptr;
    long ms = std::strtol(delay.c_str(), &end, 10);
    if (delay.empty() || *end || ms < 1 || ms > 600000) {
      ex.log_cause = "fault control: delay_ms " + delay + " is not 1 to 600000";
      return text(400, "delay_ms must be a whole number of milliseconds from 1 to 600000\n");
    }
    fault.delay = std::chrono::milliseconds(ms);
  } else if (mode != "off") {
    ex.log_cause = "fault control: unknown mode '" + mode + "'";
    return text(400, "mode must be 503, slow or off\n");
  }
  set(fault);
  log::warn("fault_set",
            {{"mode", to_string(fault.mode)}, {"delay_ms", std::to_string(fault.delay.count())}});
  return text(200, describe(fault), "application/json");
}

}  // namespace twin::http
