#include "http/metrics.h"

#include <sstream>

namespace twin::http {

Metrics::Series& Metrics::series(const std::string& service) {
  std::lock_guard lock(mutex_);
  auto& slot = services_[service];
  if (!slot) slot = std::make_unique<Series>();
  return *slot;
}

void Metrics::record(Series& s, unsigned status, uint64_t bytes_in, uint64_t bytes_out,
                     double seconds) {
  s.by_class[std::min<unsigned>(status / 100, 5)]++;
  if (status >= 500) s.errors++;
  s.bytes_in += bytes_in;
  s.bytes_out += bytes_out;
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  s.buckets[bucket]++;
  s.micros_sum += static_cast<uint64_t>(seconds * 1e6);
}

std::string Metrics::render() const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP twin_http_requests_total HTTP requests answered, by status class.\n"
      << "# TYPE twin_http_requests_total counter\n";
  for (const auto& [name, s] : services_)
    for (unsigned c = 1; c <= 5; ++c)
      out << "twin_http_requests_total{service=\"" << name << "\",code=\"" << c << "xx\"} "
          << s->by_class[c].load() << "\n";
  out << "# HELP twin_http_errors_total Requests answered with a 5xx status.\n"
      << "# TYPE twin_http_errors_total counter\n";
  for (const auto& [name, s] : services_)
    out << "twin_http_errors_total{service=\"" << name << "\"} " << s->errors.load() << "\n";
  out << "# HELP twin_http_received_bytes_total Request body bytes received.\n"
      << "# TYPE twin_http_received_bytes_total counter\n";
  for (const auto& [name, s] : services_)
    out << "twin_http_received_bytes_total{service=\"" << name << "\"} " << s->bytes_in.load()
        << "\n";
  out << "# HELP twin_http_sent_bytes_total Response body bytes sent.\n"
      << "# TYPE twin_http_sent_bytes_total counter\n";
  for (const auto& [name, s] : services_)
    out << "twin_http_sent_bytes_total{service=\"" << name << "\"} " << s->bytes_out.load() << "\n";
  out << "# HELP twin_http_request_duration_seconds Time from request header to response end.\n"
      << "# TYPE twin_http_request_duration_seconds histogram\n";
  for (const auto& [name, s] : services_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kBuckets.size(); ++i) {
      cumulative += s->buckets[i].load();
      out << "twin_http_request_duration_seconds_bucket{service=\"" << name << "\",le=\"";
      if (i < kBuckets.size())
        out << kBuckets[i];
      else
        out << "+Inf";
      out << "\"} " << cumulative << "\n";
    }
    out << "twin_http_request_duration_seconds_sum{service=\"" << name << "\"} "
        << static_cast<double>(s->micros_sum.load()) / 1e6 << "\n";
    out << "twin_http_request_duration_seconds_count{service=\"" << name << "\"} " << cumulative
        << "\n";
  }
  return out.str();
}

}  // namespace twin::http
