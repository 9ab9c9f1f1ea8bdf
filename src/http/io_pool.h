// One io_context per thread. A connection lives on one context for its whole life, so its
// handlers never hop between threads (no strands, no cross-thread wake-ups); a handler that
// blocks on disk holds up only the connections of its own context.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>
#include <vector>

namespace twin::http {

class IoPool {
 public:
  explicit IoPool(unsigned threads);
  ~IoPool();
  boost::asio::io_context& first() { return *contexts_.front(); }
  boost::asio::io_context& next();  // round robin
  void start();                     // one thread per context
  void stop();                      // ends run() on every context
  void join();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<Guard> guards_;
  std::vector<std::thread> threads_;
  std::atomic<size_t> next_{0};
};

}  // namespace twin::http
