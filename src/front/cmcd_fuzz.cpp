// Fuzz target: CMCD as a player sends it, in the CMCD query parameter (the input's first line,
// as a request target's query) and the four CMCD headers (the next lines), merged as the front
// reads them; and the target the front keeps for its cache without the CMCD parameter.
#include <string>
#include <string_view>

#include "front/cmcd.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t nl = text.find('\n');
  std::string target = "/seg.m4s?" + std::string(text.substr(0, nl));
  twin::http::Request request;
  const char* headers[] = {"CMCD-Request", "CMCD-Object", "CMCD-Status", "CMCD-Session"};
  for (const char* name : headers) {
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
    nl = text.find('\n');
    std::string value(text.substr(0, nl));
    if (value.find_first_of("\r\0", 0, 2) == std::string::npos) request.set(name, value);
  }
  auto found = twin::front::cmcd_from(twin::http::Target(target), request);
  if (found.data && !found.error.empty()) __builtin_trap();  // read or refused, never both
  if (found.data && found.data->buffer_length_ms && *found.data->buffer_length_ms < 0)
    __builtin_trap();
  std::string kept = twin::front::without_cmcd(target);
  if (kept.size() > target.size()) __builtin_trap();
  return 0;
}
