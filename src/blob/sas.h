// Shared access signatures: the query fields, and the strings to sign for service SAS (every
// layout from 2012-02-12 on) and account SAS.
#pragma once

#include <optional>
#include <string>

#include "http/target.h"

namespace twin::blob {

struct SasToken {
  std::string sv, ss, srt, spr, st, se, sip, si, ses, sr, sp, sig;
  std::string rscc, rscd, rsce, rscl, rsct;
  std::string snapshot;  // the "snapshot" or "versionid" parameter for sr=bs|bv
  bool is_account() const { return sr.empty() && (!ss.empty() || !srt.empty()); }
};

// Present when the query carries "sig".
std::optional<SasToken> parse_sas(const http::Target& target);

// The canonicalized resource of a service SAS: "/blob/acct/container[/blob]" (no "/blob" prefix
// before 2015-02-21). The blob name is not escaped.
std::string sas_resource(const SasToken& sas, const std::string& account,
                         const std::string& container, const std::string& blob);
std::string service_sas_string_to_sign(const SasToken& sas, const std::string& resource);
std::string account_sas_string_to_sign(const SasToken& sas, const std::string& account);

// Whether sip ("a.b.c.d" or "a.b.c.d-e.f.g.h") admits the address.
bool ip_in_range(const std::string& sip, const std::string& address);

}  // namespace twin::blob
