#include "blob/auth.h"

#include "blob/errors.h"
#include "blob/shared_key.h"
#include "common/crypto.h"
#include "common/strings.h"

namespace twin::blob {
namespace {

bool any_letter(const std::string& granted, const char* needed) {
  for (const char* p = needed; *p; ++p)
    if (granted.find(*p) != std::string::npos) return true;
  return false;
}

// The operations that may create a blob: with 'c' but without 'w' they must not replace one.
bool creates_blob(Op op) {
  return op == Op::put_blob || op == Op::put_blob_from_url || op == Op::copy_blob ||
         op == Op::copy_blob_from_url;
}

void check_letters(Call& call, const std::string& granted, const char* needed, const char* kind) {
  const OpInfo& op = info(call.op);
  if (!any_letter(granted, needed)) {
    call.exchange.log_cause =
        std::string(kind) + " permissions '" + granted + "' do not allow " + op.name;
    throw errors::permission_mismatch();
  }
  if (creates_blob(call.op) && granted.find('w') == std::string::npos) call.may_overwrite = false;
}

SigningInput signing_input(const Call& call, const std::string& account) {
  SigningInput in;
  in.method = std::string(call.request.method_string());
  for (const auto& f : call.request) in.headers.emplace_back(f.name_string(), f.value());
  in.raw_path = call.target.raw_path();
  in.params = call.target.params();
  in.account = account;
  return in;
}

void check_shared_key(Call& call, const Accounts& accounts, std::string_view credential) {
  auto colon = credential.find(':');
  if (colon == std::string_view::npos)
    throw StorageError(400, "InvalidAuthenticationInfo",
                       "Authentication information is not given in the correct format.");
  std::string account(credential.substr(0, colon));
  std::string signature(str::trim(credential.substr(colon + 1)));
  if (account != call.account)
    throw errors::authentication_failed("The account " + account +
                                        " in the Authorization header does not match the URL.");
  auto input = signing_input(call, account);
  std::string first_string;
  for (const auto& variant : shared_key_variants(input)) {
    std::string to_sign = shared_key_string_to_sign(input, variant);
    if (first_string.empty()) first_string = to_sign;
    for (const auto& key : accounts.keys(account))
      if (crypto::constant_time_equal(crypto::base64_encode(crypto::hmac_sha256(key, to_sign)),
                                      signature))
        return;
  }
  std::string printable = first_string;
  for (char& c : printable)
    if (c == '\n') c = '|';
  call.exchange.log_cause = "shared key signature mismatch";
  throw errors::authentication_failed("The MAC signature found in the HTTP request '" + signature +
                                      "' is not the same as any computed signature. Server used "
                                      "following string to sign: '" +
                                      first_string + "'.");
}

// Fills sp/st/se from the container's stored access policy named by si.
void apply_stored_policy(SasToken& sas, Call& call, MetaStore& meta) {
  auto container = meta.container(call.account, call.container);
  const AccessPolicy* found = nullptr;
  if (container)
    for (const auto& p : container->acl)
      if (p.id == sas.si) found = &p;
  if (!found) {
    call.exchange.log_cause = "SAS names unknown stored access policy " + sas.si;
    throw errors::authentication_failed("The stored access policy " + sas.si + " does not exist.");
  }
  auto both = [&](const std::string& a, const std::string& b, const char* what) {
    if (!a.empty() && !b.empty())
      throw errors::authentication_failed(
          std::string("The field ") + what +
          " is given by both the SAS and the stored access policy.");
  };
  both(sas.sp, found->permission, "signed permission");
  both(sas.st, found->start, "signed start");
  both(sas.se, found->expiry, "signed expiry");
  if (sas.sp.empty()) sas.sp = found->permission;
  if (sas.st.empty()) sas.st = found->start;
  if (sas.se.empty()) sas.se = found->expiry;
}

void check_time_window(const SasToken& sas, Call& call) {
  auto start = sas.st.empty() ? std::nullopt : timefmt::parse_iso8601(sas.st);
  auto expiry = timefmt::parse_iso8601(sas.se);
  if ((!sas.st.empty() && !start) || !expiry)
    throw errors::authentication_failed("The signed start or expiry time is missing or malformed.");
  if (start && *start > *expiry)
    throw errors::authentication_failed("Signed expiry time [" + sas.se +
                                        "] must be after signed start time [" + sas.st + "]");
  if ((start && call.now < *start) || call.now >= *expiry) {
    call.exchange.log_cause = "SAS outside its time window";
    throw errors::authentication_failed("Signature not valid in the specified time frame: Start [" +
                                        sas.st + "] - Expiry [" + sas.se + "] - Current [" +
                                        timefmt::rfc1123(call.now) + "]");
  }
}

void check_protocol_and_ip(const SasToken& sas, const Call& call) {
  if (!sas.spr.empty() && sas.spr != "https,http" && sas.spr != "http,https" && sas.spr != "http")
    throw StorageError(
        403, "AuthorizationProtocolMismatch",
        "This request is not authorized to perform this operation using this protocol.");
  if (!sas.sip.empty() && !ip_in_range(sas.sip, call.exchange.remote_address))
    throw StorageError(
        403, "AuthorizationSourceIPMismatch",
        "This request is not authorized to perform this operation using this source IP " +
            call.exchange.remote_address + ".");
}

void verify_signature(const SasToken& sas, const std::string& to_sign, const Accounts& accounts,
                      Call& call) {
  for (const auto& key : accounts.keys(call.account))
    if (crypto::constant_time_equal(crypto::base64_encode(crypto::hmac_sha256(key, to_sign)),
                                    sas.sig))
      return;
  call.exchange.log_cause = "SAS signature mismatch";
  std::string printable = to_sign;
  throw errors::authentication_failed("Signature did not match. String to sign used was " +
                                      printable);
}

void check_service_sas(Call& call, const Accounts& accounts, MetaStore& meta) {
  SasToken sas = *call.sas;
  std::string resource = sas_resource(sas, call.account, call.container, call.blob);
  std::string to_sign = service_sas_string_to_sign(sas, resource);
  verify_signature(sas, to_sign, accounts, call);
  if (!sas.si.empty()) apply_stored_policy(sas, call, meta);
  check_time_window(sas, call);
  check_protocol_and_ip(sas, call);
  const OpInfo& op = info(call.op);
  // A container SAS covers the container and its blobs; a blob SAS only that blob.
  bool scope_ok = sas.sr == "c" ? call.level != Level::service
                                : (sas.sr == "b" || sas.sr == "bs" || sas.sr == "bv") &&
                                      call.level == Level::blob;
  if (!scope_ok)
    throw StorageError(
        403, "AuthorizationResourceTypeMismatch",
        "This request is not authorized to perform this operation using this resource type.");
  check_letters(call, sas.sp, op.service_sas_letters, "SAS");
  call.sas = sas;
  call.auth = AuthKind::service_sas;
}

void check_account_sas(Call& call, const Accounts& accounts) {
  const SasToken& sas = *call.sas;
  verify_signature(sas, account_sas_string_to_sign(sas, call.account), accounts, call);
  check_time_window(sas, call);
  check_protocol_and_ip(sas, call);
  if (sas.ss.find('b') == std::string::npos)
    throw StorageError(
        403, "AuthorizationServiceMismatch",
        "This request is not authorized to perform this operation using this service.");
  char needed_type = call.level == Level::service     ? 's'
                     : call.level == Level::container ? 'c'
                                                      : 'o';
  if (sas.srt.find(needed_type) == std::string::npos)
    throw StorageError(
        403, "AuthorizationResourceTypeMismatch",
        "This request is not authorized to perform this operation using this resource type.");
  check_letters(call, sas.sp, info(call.op).account_sas_letters, "account SAS");
  call.auth = AuthKind::account_sas;
}

void check_anonymous(Call& call, MetaStore& meta) {
  const OpInfo& op = info(call.op);
  if (op.reads && call.level != Level::service) {
    auto container = meta.container(call.account, call.container);
    if (container) {
      bool whole = container->public_access == "container";
      bool blobs = whole || container->public_access == "blob";
      if ((call.level == Level::blob && blobs) || (call.level == Level::container && whole)) {
        call.auth = AuthKind::anonymous;
        return;
      }
    }
  }
  call.exchange.log_cause = "anonymous request for a private resource";
  // The service hides private resources from anonymous callers.
  throw errors::resource_not_found();
}

}  // namespace

void check_sas(Call& call, const Accounts& accounts, MetaStore& meta) {
  if (call.sas->is_account())
    check_account_sas(call, accounts);
  else
    check_service_sas(call, accounts, meta);
}

void authorize(Call& call, const Accounts& accounts, MetaStore& meta) {
  std::string authorization = call.header("authorization");
  if (!authorization.empty()) {
    if (str::istarts_with(authorization, "SharedKey ")) {
      check_shared_key(call, accounts, str::trim(std::string_view(authorization).substr(10)));
      call.auth = AuthKind::shared_key;
      return;
    }
    throw StorageError(400, "InvalidAuthenticationInfo",
                       "Authentication information is not given in the correct format. Only "
                       "SharedKey and SAS are supported.");
  }
  call.sas = parse_sas(call.target);
  if (call.sas) {
    check_sas(call, accounts, meta);
    return;
  }
  check_anonymous(call, meta);
}

}  // namespace twin::blob
