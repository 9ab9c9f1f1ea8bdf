#include "blob/sas.h"

#include <arpa/inet.h>

namespace twin::blob {

std::optional<SasToken> parse_sas(const http::Target& target) {
  auto sig = target.param("sig");
  if (!sig) return std::nullopt;
  SasToken t;
  t.sig = *sig;
  auto get = [&](const char* name) { return target.param_or(name, ""); };
  t.sv = get("sv");
  t.ss = get("ss");
  t.srt = get("srt");
  t.spr = get("spr");
  t.st = get("st");
  t.se = get("se");
  t.sip = get("sip");
  t.si = get("si");
  t.ses = get("ses");
  t.sr = get("sr");
  t.sp = get("sp");
  t.rscc = get("rscc");
  t.rscd = get("rscd");
  t.rsce = get("rsce");
  t.rscl = get("rscl");
  t.rsct = get("rsct");
  // Only a snapshot or version SAS signs the snapshot time; any other SAS signs it empty.
  if (t.sr == "bs") t.snapshot = get("snapshot");
  if (t.sr == "bv") t.snapshot = get("versionid");
  return t;
}

std::string sas_resource(const SasToken& sas, const std::string& account,
                         const std::string& container, const std::string& blob) {
  std::string out = sas.sv >= "2015-02-21" ? "/blob/" : "/";
  out += account + "/" + container;
  if (sas.sr != "c" && !blob.empty()) out += "/" + blob;
  return out;
}

std::string service_sas_string_to_sign(const SasToken& s, const std::string& resource) {
  std::string head = s.sp + "\n" + s.st + "\n" + s.se + "\n" + resource + "\n" + s.si + "\n";
  std::string overrides = s.rscc + "\n" + s.rscd + "\n" + s.rsce + "\n" + s.rscl + "\n" + s.rsct;
  if (s.sv >= "2020-12-06")
    return head + s.sip + "\n" + s.spr + "\n" + s.sv + "\n" + s.sr + "\n" + s.snapshot + "\n" +
           s.ses + "\n" + overrides;
  if (s.sv >= "2018-11-09")
    return head + s.sip + "\n" + s.spr + "\n" + s.sv + "\n" + s.sr + "\n" + s.snapshot + "\n" +
           overrides;
  if (s.sv >= "2015-04-05") return head + s.sip + "\n" + s.spr + "\n" + s.sv + "\n" + overrides;
  if (s.sv >= "2013-08-15") return head + s.sv + "\n" + overrides;
  return head + s.sv;
}

std::string account_sas_string_to_sign(const SasToken& s, const std::string& account) {
  std::string out = account + "\n" + s.sp + "\n" + s.ss + "\n" + s.srt + "\n" + s.st + "\n" + s.se +
                    "\n" + s.sip + "\n" + s.spr + "\n" + s.sv + "\n";
  if (s.sv >= "2020-12-06") out += s.ses + "\n";
  return out;
}

bool ip_in_range(const std::string& sip, const std::string& address) {
  auto to_u32 = [](const std::string& text, uint32_t& out) {
    in_addr a{};
    if (inet_pton(AF_INET, text.c_str(), &a) != 1) return false;
    out = ntohl(a.s_addr);
    return true;
  };
  uint32_t ip = 0, low = 0, high = 0;
  if (!to_u32(address, ip)) return false;
  auto dash = sip.find('-');
  if (!to_u32(sip.substr(0, dash), low)) return false;
  high = low;
  if (dash != std::string::npos && !to_u32(sip.substr(dash + 1), high)) return false;
  return ip >= low && ip <= high;
}

}  // namespace twin::blob
