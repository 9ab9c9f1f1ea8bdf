#include "client/blob_container.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <pugixml.hpp>

#include "blob/shared_key.h"
#include "common/crypto.h"
#include "common/strings.h"
#include "common/time.h"
#include "http/target.h"

namespace twin::client {
namespace {

constexpr const char* kVersion = "2021-08-06";

std::string path_of(const std::string& url) {
  size_t scheme = url.find("://");
  size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

[[noreturn]] void fail(const http::ClientRequest& req, const http::ClientResponse& res) {
  std::string code = res.header("x-ms-error-code");
  if (code.empty()) code = "HTTP" + std::to_string(res.status);
  std::string where = req.url.substr(0, req.url.find('?'));
  throw blob::StorageCallError(
      res.status, code,
      req.method + " " + where + " answered " + std::to_string(res.status) + " " + code);
}

// "1024/2048" → {1024, 2048}
std::pair<uint64_t, uint64_t> progress_of(const std::string& header) {
  size_t slash = header.find('/');
  if (slash == std::string::npos) return {0, 0};
  return {std::strtoull(header.c_str(), nullptr, 10),
          std::strtoull(header.c_str() + slash + 1, nullptr, 10)};
}

}  // namespace

CopyState copy_state_from(const std::string& header) {
  if (header == "pending") return CopyState::pending;
  if (header == "success") return CopyState::success;
  if (header == "failed") return CopyState::failed;
  if (header == "aborted") return CopyState::aborted;
  return CopyState::none;
}

const char* copy_state_name(CopyState state) {
  switch (state) {
    case CopyState::pending:
      return "pending";
    case CopyState::success:
      return "success";
    case CopyState::failed:
      return "failed";
    case CopyState::aborted:
      return "aborted";
    case CopyState::none:
      break;
  }
  return "none";
}

BlobContainer BlobContainer::with_sas(const std::string& container_sas_url) {
  BlobContainer c;
  size_t q = container_sas_url.find('?');
  c.container_url_ = container_sas_url.substr(0, q);
  if (q != std::string::npos) c.sas_ = container_sas_url.substr(q + 1);
  return c;
}

BlobContainer BlobContainer::with_shared_key(const std::string& storage_url,
                                             const std::string& account,
                                             const std::string& key_base64,
                                             const std::string& container) {
  auto key = crypto::base64_decode(key_base64);
  if (!key) throw std::invalid_argument("the key of storage account " + account + " is not base64");
  BlobContainer c;
  c.container_url_ = storage_url + "/" + container;
  c.account_ = account;
  c.key_ = *key;
  return c;
}

std::string BlobContainer::blob_url(const std::string& blob) const {
  return container_url_ + "/" + str::percent_encode(blob, true);
}

http::ClientRequest BlobContainer::request(
    const std::string& method, const std::string& blob, const std::string& query,
    uint64_t body_size, const std::vector<std::pair<std::string, std::string>>& extra) const {
  std::string url = blob.empty() ? container_url_ : blob_url(blob);
  std::string all_query = query;
  if (!sas_.empty()) all_query += (all_query.empty() ? "" : "&") + sas_;
  http::ClientRequest req{method, url + (all_query.empty() ? "" : "?" + all_query), {}, {}};
  req.headers = {{"x-ms-version", kVersion}, {"x-ms-date", timefmt::rfc1123(timefmt::now())}};
  if (method == "PUT") req.headers.emplace_back("Content-Length", std::to_string(body_size));
  for (const auto& h : extra) req.headers.push_back(h);
  if (!key_.empty()) {
    http::Target target(path_of(req.url));
    blob::SigningInput in{method, req.headers, target.raw_path(), target.params(), account_};
    std::string signature = crypto::base64_encode(
        crypto::hmac_sha256(key_, blob::shared_key_string_to_sign(in, blob::SigningVariant{})));
    req.headers.emplace_back("Authorization", "SharedKey " + account_ + ":" + signature);
  }
  return req;
}

void BlobContainer::set_service_cors(const std::string& cors_xml) const {
  std::string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><StorageServiceProperties>" +
                     cors_xml + "</StorageServiceProperties>";
  auto req = request("PUT", "", "restype=service&comp=properties", body.size(),
                     {{"Content-Type", "application/xml"}});
  req.body = body;
  http::ClientResponse res = http_.send(req, 1 << 20);
  if (res.status != 202) fail(req, res);
}

BlobProperties BlobContainer::properties(const std::string& blob) const {
  auto req = request("HEAD", blob, "");
  http::ClientResponse res = http_.send(req, 0);
  BlobProperties p;
  if (res.status == 404) return p;
  if (res.status != 200) fail(req, res);
  p.exists = true;
  p.size = std::strtoull(res.header("Content-Length").c_str(), nullptr, 10);
  p.md5 = res.header("Content-MD5");
  p.etag = res.header("ETag");
  p.copy = copy_state_from(res.header("x-ms-copy-status"));
  std::tie(p.copied, p.copy_total) = progress_of(res.header("x-ms-copy-progress"));
  p.copy_description = res.header("x-ms-copy-status-description");
  return p;
}

CopyState BlobContainer::start_copy(const std::string& blob, const std::string& source_url) const {
  auto req = request("PUT", blob, "", 0, {{"x-ms-copy-source", source_url}});
  http::ClientResponse res = http_.send(req, 1 << 20);
  if (res.status != 202) fail(req, res);
  return copy_state_from(res.header("x-ms-copy-status"));
}

std::vector<BlobListing> BlobContainer::list() const {
  std::vector<BlobListing> out;
  std::string marker;
  do {
    std::string query = "restype=container&comp=list&include=copy&maxresults=5000";
    if (!marker.empty()) query += "&marker=" + str::percent_encode(marker);
    auto req = request("GET", "", query);
    http::ClientResponse res = http_.send(req, 64ull << 20);
    if (res.status != 200) fail(req, res);
    pugi::xml_document doc;
    if (!doc.load_string(res.body.c_str()))
      throw blob::StorageCallError(res.status, "BadXml",
                                   "the blob listing of " + container_url_ + " is not XML");
    auto root = doc.child("EnumerationResults");
    for (auto b : root.child("Blobs").children("Blob")) {
      auto props = b.child("Properties");
      BlobListing listed;
      listed.name = b.child_value("Name");
      listed.size = props.child("Content-Length").text().as_ullong();
      listed.md5 = props.child_value("Content-MD5");
      listed.copy = copy_state_from(props.child_value("CopyStatus"));
      listed.copied = progress_of(props.child_value("CopyProgress")).first;
      listed.copy_description = props.child_value("CopyStatusDescription");
      out.push_back(std::move(listed));
    }
    marker = root.child_value("NextMarker");
  } while (!marker.empty());
  return out;
}

void BlobContainer::upload(const std::string& blob, const std::string& path,
                           const std::string& content_type,
                           const std::function<void(uint64_t)>& progress) const {
  constexpr uint64_t kSingleShot = 32ull << 20, kBlock = 8ull << 20;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  uint64_t size = std::filesystem::file_size(path), sent = 0;
  auto put = [&](const std::string& query, std::string body,
                 std::vector<std::pair<std::string, std::string>> headers) {
    auto req = request("PUT", blob, query, body.size(), headers);
    req.body = std::move(body);
    http::ClientResponse res = http_.send(req, 1 << 20);
    if (res.status != 201) fail(req, res);
  };
  auto read = [&](uint64_t n) {
    std::string chunk(n, '\0');
    in.read(chunk.data(), std::streamsize(n));
    if (uint64_t(in.gcount()) != n) throw std::runtime_error("cannot read " + path);
    return chunk;
  };
  if (size <= kSingleShot) {
    put("", read(size),
        {{"x-ms-blob-type", "BlockBlob"}, {"x-ms-blob-content-type", content_type}});
    if (progress) progress(size);
    return;
  }
  std::string list = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>";
  for (size_t index = 0; sent < size; ++index) {
    char id_text[16];
    std::snprintf(id_text, sizeof id_text, "block-%08zu", index);
    std::string id = crypto::base64_encode(id_text);
    uint64_t n = std::min(kBlock, size - sent);
    put("comp=block&blockid=" + str::percent_encode(id), read(n), {});
    list += "<Latest>" + id + "</Latest>";
    sent += n;
    if (progress) progress(sent);
  }
  put("comp=blocklist", list + "</BlockList>", {{"x-ms-blob-content-type", content_type}});
}

std::string BlobContainer::md5_of(const std::string& blob) const {
  auto req = request("GET", blob, "");
  crypto::Md5 md5;
  http::ClientResponse res = http_.send(req, [&](const char* data, size_t size) {
    md5.update(data, size);
    return true;
  });
  if (res.status != 200) fail(req, res);
  return crypto::base64_encode(md5.finish());
}

}  // namespace twin::client
