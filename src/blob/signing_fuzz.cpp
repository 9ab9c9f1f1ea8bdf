// Fuzz target: what Shared Key and SAS canonicalise. The input is a request line and headers
// ("METHOD target\nName: value\n…"); the target's path and query are parsed as the service
// parses them, then every Shared Key string-to-sign variant and the SAS strings are built.
#include <string>
#include <string_view>

#include "blob/sas.h"
#include "blob/shared_key.h"
#include "http/target.h"

using namespace twin;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t line_end = std::min(text.find('\n'), text.size());
  std::string_view line = text.substr(0, line_end);
  size_t space = std::min(line.find(' '), line.size());
  blob::SigningInput in;
  in.method = std::string(line.substr(0, space));
  http::Target target(space < line.size() ? line.substr(space + 1) : std::string_view("/"));
  in.raw_path = target.raw_path();
  in.params = target.params();
  in.account = "devstoreaccount1";
  text.remove_prefix(std::min(line_end + 1, text.size()));
  while (!text.empty()) {
    size_t end = std::min(text.find('\n'), text.size());
    std::string_view header = text.substr(0, end);
    size_t colon = header.find(':');
    if (colon != std::string_view::npos)
      in.headers.emplace_back(std::string(header.substr(0, colon)),
                              std::string(header.substr(colon + 1)));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  for (const auto& variant : blob::shared_key_variants(in))
    (void)blob::shared_key_string_to_sign(in, variant);
  if (auto sas = blob::parse_sas(target)) {
    std::string path = target.decoded_path();
    (void)blob::service_sas_string_to_sign(*sas, blob::sas_resource(*sas, in.account, path, path));
    (void)blob::account_sas_string_to_sign(*sas, in.account);
    (void)blob::ip_in_range(sas->sip, "127.0.0.1");
  }
  return 0;
}
