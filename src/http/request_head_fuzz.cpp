// Fuzz target: an HTTP request head as the server reads it (Beast's parser with the server's body
// type and header limit), then what every handler does first with it: split the target into path
// and decoded query, decode the path, and look up headers.
#include <boost/beast/http/parser.hpp>

#include "http/body.h"
#include "http/target.h"

namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bhttp::request_parser<twin::http::InBody> parser;
  parser.header_limit(16 * 1024);  // the server's default http.max_header_bytes
  parser.eager(false);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_header_done()) return 0;
  const auto& request = parser.get();
  twin::http::Target target(request.target());
  (void)target.decoded_path();
  for (const char* name : {"comp", "restype", "sig", "$filter"}) (void)target.param(name);
  (void)request[bhttp::field::content_length];
  (void)request["x-ms-version"];
  return 0;
}
