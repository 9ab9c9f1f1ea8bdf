#include "blob/service.h"

#include "blob/auth.h"
#include "blob/copy_engine.h"
#include "blob/cors.h"
#include "blob/errors.h"
#include "blob/names.h"
#include "blob/ops.h"
#include "blob/refusals.h"
#include "common/log.h"
#include "common/strings.h"

namespace twin::blob {
namespace {
constexpr uint64_t kMaxPutBlob = 5000ull << 20;
constexpr uint64_t kMaxBlock = 4000ull << 20;
constexpr uint64_t kMaxXmlBody = 16ull << 20;
constexpr uint64_t kSmallBody = 64 * 1024;

using OpFn = http::Response (*)(Backend&, Call&);

OpFn op_function(Op op) {
  switch (op) {
    case Op::list_containers:
      return ops::list_containers;
    case Op::get_service_properties:
      return ops::service_properties;
    case Op::set_service_properties:
      return ops::set_service_properties;
    case Op::get_account_info:
      return ops::account_info;
    case Op::create_container:
      return ops::create_container;
    case Op::get_container_properties:
      return ops::container_properties;
    case Op::set_container_metadata:
      return ops::set_container_metadata;
    case Op::get_container_acl:
      return ops::get_container_acl;
    case Op::set_container_acl:
      return ops::set_container_acl;
    case Op::delete_container:
      return ops::delete_container;
    case Op::list_blobs:
      return ops::list_blobs;
    case Op::put_blob:
      return ops::put_blob;
    case Op::put_blob_from_url:
      return ops::put_blob_from_url;
    case Op::put_block:
      return ops::put_block;
    case Op::put_block_from_url:
      return ops::put_block_from_url;
    case Op::put_block_list:
      return ops::put_block_list;
    case Op::get_block_list:
      return ops::get_block_list;
    case Op::get_blob:
      return ops::get_blob;
    case Op::get_blob_properties:
      return ops::blob_properties;
    case Op::set_blob_metadata:
      return ops::set_blob_metadata;
    case Op::set_blob_properties:
      return ops::set_blob_properties;
    case Op::set_blob_tier:
      return ops::set_blob_tier;
    case Op::delete_blob:
      return ops::delete_blob;
    case Op::copy_blob:
      return ops::copy_blob;
    case Op::copy_blob_from_url:
      return ops::copy_blob_from_url;
    case Op::abort_copy:
      return ops::abort_copy;
    case Op::get_user_delegation_key:  // refused before authorisation
    case Op::unknown:
      break;
  }
  return nullptr;
}

bool is_ip_literal(std::string_view host) {
  if (host.empty()) return false;
  if (host.front() == '[') return true;
  for (char c : host)
    if (!(c == '.' || (c >= '0' && c <= '9'))) return false;
  return true;
}

// Fills account, container, blob and level from the URL (path style) or Host (host style).
void route(Call& call, const Accounts& accounts) {
  std::string host(call.request[boost::beast::http::field::host]);
  host =
      host.substr(0, host.rfind(':') == std::string::npos || host.back() == ']' ? host.size()
                                                                                : host.rfind(':'));
  std::string path = call.target.decoded_path();
  if (path.empty() || path.front() != '/') path = "/" + path;
  std::string label = host.substr(0, host.find('.'));
  size_t pos = 1;
  if (!is_ip_literal(host) && host.find('.') != std::string::npos && accounts.has(label)) {
    call.account = label;
  } else {
    size_t end = path.find('/', 1);
    call.account = path.substr(1, end == std::string::npos ? std::string::npos : end - 1);
    pos = end == std::string::npos ? path.size() : end + 1;
  }
  if (pos < path.size()) {
    size_t end = path.find('/', pos);
    call.container = path.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (end != std::string::npos) call.blob = names::normalized_blob(path.substr(end + 1));
  }
  call.level = call.container.empty() ? Level::service
               : call.blob.empty()    ? Level::container
                                      : Level::blob;
}

void validate_names(Call& call) {
  if (call.level == Level::blob) {
    if (auto problem = names::blob_problem(call.blob)) {
      call.exchange.log_cause = "bad blob name: " + *problem;
      throw StorageError(400, "InvalidResourceName",
                         "The specified resource name contains invalid characters.");
    }
  }
}

// Get User Delegation Key takes a Bearer token only; Shared Key and SAS are refused as the
// service refuses them (and Bearer tokens are not supported here at all).
void refuse_delegation_key_auth(Call& call) {
  call.exchange.log_cause = "user delegation keys need Bearer authentication";
  throw errors::authentication_failed("Only authentication scheme Bearer is supported");
}

std::string version_problem(const std::string& version) {
  // Any well-formed date is accepted, including versions newer than this server knows.
  if (version.empty()) return {};
  if (version.size() != 10 || version[4] != '-' || version[7] != '-') return "malformed";
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (version[i] < '0' || version[i] > '9') return "malformed";
  return {};
}
}  // namespace

BlobService::BlobService(const config::Config& config, store::Database& db) : config_(config) {
  meta_ = std::make_unique<MetaStore>(db);
  files_ = std::make_unique<DataFiles>(config.data_dir, config.storage.fsync);
  size_t swept = files_->sweep(meta_->referenced_files());
  if (swept > 0) log::info("data_files_swept", {{"count", std::to_string(swept)}});
  backend_ = std::unique_ptr<Backend>(
      new Backend{Accounts(config.storage.accounts), *meta_, *files_, nullptr, "", {}});
  copies_ = std::make_unique<CopyEngine>(*backend_, config.storage.copy_workers,
                                         config.storage.copy_verify_md5);
  backend_->copies = copies_.get();
}

BlobService::~BlobService() {
  stop();
}

void BlobService::start(const std::string& host, uint16_t port) {
  std::string authority = host + ":" + std::to_string(port);
  backend_->public_url =
      config_.storage.public_url.empty() ? "http://" + authority : config_.storage.public_url;
  while (!backend_->public_url.empty() && backend_->public_url.back() == '/')
    backend_->public_url.pop_back();
  backend_->self_authorities = {authority, "localhost:" + std::to_string(port)};
  auto scheme_end = backend_->public_url.find("://");
  if (scheme_end != std::string::npos) {
    std::string rest = backend_->public_url.substr(scheme_end + 3);
    backend_->self_authorities.push_back(rest.substr(0, rest.find('/')));
  }
  copies_->start();
}

void BlobService::stop() {
  if (copies_) copies_->stop();
}

uint64_t BlobService::plan_body(http::Exchange& ex) {
  Call call(ex);
  route(call, backend_->accounts);
  auto planned = std::make_shared<ops::Planned>();
  planned->account = call.account;
  planned->container = call.container;
  planned->blob = call.blob;
  planned->level = call.level;
  planned->op = classify(ex.request, call.target, call.level);
  ex.context = planned;
  Op op = planned->op;
  // Writes wait for fsync and copies for other servers: keep them off the I/O threads.
  ex.blocking = !(op == Op::get_blob || op == Op::get_blob_properties || op == Op::list_blobs ||
                  op == Op::list_containers || op == Op::get_container_properties ||
                  op == Op::get_block_list || op == Op::get_container_acl);
  if (!streams_body(op))
    return op == Op::put_block_list || op == Op::set_container_acl ||
                   op == Op::set_service_properties
               ? kMaxXmlBody
               : config_.http.max_small_body_bytes;
  // Small bodies stay in memory and go into a pack file; the rest streams into its own file.
  auto length = ex.request.find(boost::beast::http::field::content_length);
  if (length != ex.request.end() && length->value().size() <= 6 &&
      std::stoull(std::string(length->value())) <= kSmallBody)
    return kSmallBody;
  planned->temp = files_->create_temp();
  ex.request.body().sink_fd = planned->temp->fd();
  ex.request.body().hasher = std::make_shared<http::FileHasher>(planned->temp->fd());
  return op == Op::put_blob ? kMaxPutBlob : kMaxBlock;
}

// Every response to a browser's request (an Origin header) gets the Access-Control headers the
// account's CORS rules allow, errors included, so that a page can read why it failed.
http::Response BlobService::handle(http::Exchange& ex) {
  http::Response res = handle_call(ex);
  if (ex.request.find(boost::beast::http::field::origin) != ex.request.end() &&
      ex.request.method() != boost::beast::http::verb::options) {
    // The account as plan_body routed it; a request that could not be routed has none.
    auto* planned = static_cast<ops::Planned*>(ex.context.get());
    if (planned && backend_->accounts.has(planned->account))
      add_cors_headers(parse_cors(meta_->service_cors(planned->account)), ex.request, res);
  }
  return res;
}

http::Response BlobService::handle_call(http::Exchange& ex) {
  Call call(ex);
  call.now = timefmt::now();
  auto* planned = static_cast<ops::Planned*>(ex.context.get());
  try {
    if (planned) {  // routed and classified when the header arrived
      call.account = planned->account;
      call.container = planned->container;
      call.blob = planned->blob;
      call.level = planned->level;
      call.op = planned->op;
    } else {
      route(call, backend_->accounts);
      call.op = classify(call.request, call.target, call.level);
    }
    // A preflight (Preflight Blob Request) is answered from the account's rules alone: no
    // authentication, and the resource need not exist.
    if (ex.request.method() == boost::beast::http::verb::options) {
      if (!backend_->accounts.has(call.account)) throw errors::resource_not_found();
      auto res = make_response(call, 200);
      answer_preflight(parse_cors(meta_->service_cors(call.account)), ex.request, res,
                       ex.log_cause);
      return res;
    }
    if (std::string p = version_problem(call.header("x-ms-version")); !p.empty())
      throw errors::invalid_header("x-ms-version", call.header("x-ms-version"));
    if (!backend_->accounts.has(call.account)) {
      call.exchange.log_cause = "unknown account '" + call.account + "'";
      throw errors::resource_not_found();
    }
    if (call.op == Op::unknown) {
      call.exchange.log_cause = "no operation matches this method and query";
      throw StorageError(400, "InvalidQueryParameterValue",
                         "The requested operation is not supported by this resource.",
                         {{"QueryParameterName", "comp"},
                          {"QueryParameterValue", call.target.param_or("comp", "")},
                          {"Reason", "not supported"}});
    }
    validate_names(call);
    if (call.op == Op::get_user_delegation_key) refuse_delegation_key_auth(call);
    // A read sees one state of the metadata from authorisation to response, in one read
    // transaction (one lock of the WAL index instead of one per statement).
    std::optional<store::Database::ReadSnapshot> snapshot;
    if (!ex.blocking) snapshot.emplace(meta_->db());
    authorize(call, backend_->accounts, *meta_);
    refuse_unhonoured(call);
    return op_function(call.op)(*backend_, call);
  } catch (const StorageError& e) {
    if (ex.log_cause.empty()) ex.log_cause = e.code();
    auto res = make_response(call, e.status());
    res.set("x-ms-error-code", e.code());
    if (e.code() == "InvalidRange") {
      // Tell the client the size, as RFC 9110 asks of a 416.
      if (auto c = meta_->container(call.account, call.container))
        if (auto b = meta_->blob(c->id, call.blob))
          res.set("Content-Range", "bytes */" + std::to_string(b->size));
    }
    if (ex.request.method() != boost::beast::http::verb::head && e.status() != 304)
      set_xml(res, error_xml(e, ex.request_id, timefmt::iso8601_7(call.now)));
    return res;
  }
}

http::Response BlobService::error_response(http::Exchange& ex, unsigned status,
                                           const std::string& code, const std::string& message) {
  Call call(ex);
  auto res = make_response(call, status);
  res.set("x-ms-error-code", code);
  set_xml(res, error_xml(StorageError(status, code, message), ex.request_id,
                         timefmt::iso8601_7(timefmt::now())));
  return res;
}

}  // namespace twin::blob
