// Request counters and a latency histogram per service, rendered in Prometheus text format.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace twin::http {

class Metrics {
 public:
  struct Series;
  // The counters of one service; the reference stays valid as long as the Metrics object.
  Series& series(const std::string& service);
  static void record(Series& series, unsigned status, uint64_t bytes_in, uint64_t bytes_out,
                     double seconds);
  void record(const std::string& service, unsigned status, uint64_t bytes_in, uint64_t bytes_out,
              double seconds) {
    record(series(service), status, bytes_in, bytes_out, seconds);
  }
  std::string render() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

 public:
  struct Series {
    std::array<std::atomic<uint64_t>, 6> by_class{};  // index = status / 100
    std::atomic<uint64_t> errors{0};
    std::atomic<uint64_t> bytes_in{0};
    std::atomic<uint64_t> bytes_out{0};
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<uint64_t> micros_sum{0};
  };

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Series>> services_;
};

}  // namespace twin::http
