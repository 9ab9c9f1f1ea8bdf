// A small blocking HTTP/1.1 client for server-to-server calls (copy sources, later the front and
// the CLI). Each call runs its own I/O loop, so it may be used from any worker thread; every
// network step has an idle timeout, and response bodies can be streamed with constant memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace twin::http {

struct ClientRequest {
  std::string method = "GET";
  std::string url;  // absolute http:// URL
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct ClientResponse {
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // empty when streamed
  uint64_t body_bytes = 0;
  // Case-insensitive header lookup; empty when absent.
  std::string header(std::string_view name) const;
};

// Network failure: unreachable host, timeout, reset, malformed response.
class ClientError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Client {
 public:
  // Called with each chunk of the response body; return false to stop (the call then throws
  // ClientError("cancelled")).
  using Sink = std::function<bool(const char* data, size_t size)>;

  explicit Client(std::chrono::milliseconds idle_timeout = std::chrono::seconds(30))
      : idle_timeout_(idle_timeout) {}

  // Buffers the response body, refusing more than max_body bytes.
  ClientResponse send(const ClientRequest& request, uint64_t max_body = 64ull << 20) const;
  // Called with the status and headers before any of the body.
  using HeadCallback = std::function<void(const ClientResponse& head)>;

  // Streams the body of a successful (2xx) response into sink; error bodies are buffered.
  ClientResponse send(const ClientRequest& request, const Sink& sink,
                      const HeadCallback& on_head = {}) const;

 private:
  std::chrono::milliseconds idle_timeout_;
};

}  // namespace twin::http
