// Beast body types. InBody keeps a request body in memory up to a limit or streams it into a
// file with a running MD5, so that multi-GiB uploads use constant memory. OutBody sends a text
// prefix and then byte ranges of open files, read in fixed chunks.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/crypto.h"
#include "http/file.h"
#include "http/file_hasher.h"

namespace twin::http {

struct InBody {
  struct value_type {
    // Memory mode unless sink_fd >= 0.
    std::string memory;
    int sink_fd = -1;  // not owned: whoever set it closes it
    uint64_t size = 0;
    uint64_t writeback_started = 0;      // bytes handed to the kernel's writeback so far
    crypto::Md5 md5;                     // used when hasher is not set
    std::shared_ptr<FileHasher> hasher;  // file mode: hashes on a helper thread
    bool io_failed = false;
    // The MD5 of everything received (waits for the hasher in file mode).
    std::string digest();
    // Called for each chunk in file mode after it is written (progress, CRC, …); may be empty.
    std::function<void(const char*, size_t)> observer;
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}
    void init(const boost::optional<std::uint64_t>&, boost::beast::error_code& ec) { ec = {}; }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      std::size_t total = 0;
      for (auto it = boost::asio::buffer_sequence_begin(buffers);
           it != boost::asio::buffer_sequence_end(buffers); ++it) {
        boost::asio::const_buffer b = *it;
        append(static_cast<const char*>(b.data()), b.size(), ec);
        if (ec) return total;
        total += b.size();
      }
      return total;
    }
    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    void append(const char* data, size_t size, boost::beast::error_code& ec);
    value_type& body_;
  };
};

// A body made while it is sent, such as a proxied upstream response: the server asks for the
// next bytes until they are empty. A failure throws, and the server then closes the connection,
// which is how HTTP/1.1 tells a client that a response with a length was cut short.
class BodySource {
 public:
  virtual ~BodySource() = default;
  // The next bytes, valid until the next call; empty at the end.
  virtual boost::asio::awaitable<std::string_view> next() = 0;
};

struct OutBody {
  struct value_type {
    // Header fields serialized in advance ("Name: value\r\n" lines), written after the
    // response's own: a handler that sends the same fields again and again builds them once.
    std::shared_ptr<const std::string> fields;
    std::string text;             // sent first
    std::vector<FileSpan> spans;  // then these ranges, in order
    // Or, instead of text and spans, source_length bytes from a source.
    std::shared_ptr<BodySource> source;
    uint64_t source_length = 0;
    uint64_t size() const;
    // The bytes [first, first + length) of this body, sharing its files.
    value_type slice(uint64_t first, uint64_t length) const;
  };

  static std::uint64_t size(const value_type& v) { return v.size(); }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;
    template <bool isRequest, class Fields>
    writer(const boost::beast::http::header<isRequest, Fields>&, const value_type& body)
        : body_(body) {}
    void init(boost::beast::error_code& ec) { ec = {}; }
    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec);

   private:
    const value_type& body_;
    bool text_sent_ = false;
    size_t span_index_ = 0;
    uint64_t span_done_ = 0;
    std::unique_ptr<char[]> chunk_;
    size_t chunk_size_ = 0;
  };
};

}  // namespace twin::http
