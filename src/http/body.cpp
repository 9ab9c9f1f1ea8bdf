#include "http/body.h"

#include <unistd.h>

#include <algorithm>
#include <boost/beast/http/error.hpp>
#include <cerrno>

namespace twin::http {
namespace {
constexpr size_t kChunkBytes = 256 * 1024;
}

void InBody::reader::append(const char* data, size_t size, boost::beast::error_code& ec) {
  if (body_.sink_fd < 0) {
    body_.memory.append(data, size);
    body_.size += size;
    return;
  }
  if (!write_all(body_.sink_fd, data, size)) {
    body_.io_failed = true;
    ec = boost::beast::error_code(errno, boost::system::generic_category());
    return;
  }
  body_.size += size;
  if (body_.hasher)
    body_.hasher->advance(body_.size);
  else
    body_.md5.update(data, size);
  start_writeback(body_.sink_fd, body_.size, body_.writeback_started);
  if (body_.observer) body_.observer(data, size);
}

std::string InBody::value_type::digest() {
  if (sink_fd < 0) return crypto::md5(memory);
  if (hasher) return hasher->finish(size);
  return md5.finish();
}

uint64_t OutBody::value_type::size() const {
  uint64_t total = text.size() + source_length;
  for (const auto& s : spans) total += s.length;
  return total;
}

OutBody::value_type OutBody::value_type::slice(uint64_t first, uint64_t length) const {
  value_type out;
  out.fields = fields;
  uint64_t end = first + length;
  if (first < text.size())
    out.text = text.substr(first, std::min<uint64_t>(end, text.size()) - first);
  uint64_t pos = text.size();
  for (const auto& s : spans) {
    uint64_t begin = std::max(first, pos), stop = std::min(end, pos + s.length);
    if (begin < stop) out.spans.push_back({s.file, s.offset + (begin - pos), stop - begin});
    pos += s.length;
  }
  return out;
}

boost::optional<std::pair<OutBody::writer::const_buffers_type, bool>> OutBody::writer::get(
    boost::beast::error_code& ec) {
  ec = {};
  if (!text_sent_) {
    text_sent_ = true;
    if (!body_.text.empty()) {
      bool more = !body_.spans.empty();
      return std::make_pair(boost::asio::const_buffer(body_.text.data(), body_.text.size()), more);
    }
  }
  while (span_index_ < body_.spans.size() && span_done_ >= body_.spans[span_index_].length) {
    ++span_index_;
    span_done_ = 0;
  }
  if (span_index_ >= body_.spans.size()) return boost::none;
  if (!chunk_) {
    // Sized to the body (a 1 KiB blob must not pay for a 256 KiB buffer) and left uninitialised.
    uint64_t total = 0;
    for (const auto& s : body_.spans) total += s.length;
    chunk_size_ = static_cast<size_t>(std::min<uint64_t>(kChunkBytes, total));
    chunk_.reset(new char[chunk_size_]);
  }
  const FileSpan& span = body_.spans[span_index_];
  size_t want = static_cast<size_t>(std::min<uint64_t>(chunk_size_, span.length - span_done_));
  ssize_t n;
  do {
    n = ::pread(span.file->fd(), chunk_.get(), want, static_cast<off_t>(span.offset + span_done_));
  } while (n < 0 && errno == EINTR);
  if (n <= 0) {
    // The file is shorter than its metadata says: stop rather than send garbage.
    ec = n < 0 ? boost::beast::error_code(errno, boost::system::generic_category())
               : boost::beast::http::error::short_read;
    return boost::none;
  }
  span_done_ += static_cast<uint64_t>(n);
  bool more = span_done_ < span.length || span_index_ + 1 < body_.spans.size();
  return std::make_pair(boost::asio::const_buffer(chunk_.get(), static_cast<size_t>(n)), more);
}

}  // namespace twin::http
