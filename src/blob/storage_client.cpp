#include "blob/storage_client.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <pugixml.hpp>

#include "blob/sas.h"
#include "blob/shared_key.h"
#include "blob/xml_format.h"
#include "common/crypto.h"
#include "common/strings.h"
#include "common/time.h"

namespace twin::blob {
namespace {

constexpr const char* kVersion = "2021-08-06";
constexpr uint64_t kSingleShotLimit = 32ull << 20;
constexpr size_t kBlockSize = 8u << 20;

std::string error_code_of(const http::ClientResponse& res) {
  std::string code = res.header("x-ms-error-code");
  return code.empty() ? "HTTP" + std::to_string(res.status) : code;
}

std::string block_id(size_t index) {
  char text[16];
  std::snprintf(text, sizeof text, "block-%08zu", index);
  return crypto::base64_encode(text);
}

}  // namespace

StorageClient::StorageClient(std::string base_url, std::string account, std::string key_base64)
    : base_url_(std::move(base_url)), account_(std::move(account)) {
  auto key = crypto::base64_decode(key_base64);
  if (!key)
    throw std::invalid_argument("the key of storage account " + account_ + " is not base64");
  key_ = *key;
}

std::string StorageClient::container_url(const std::string& container) const {
  return base_url_ + "/" + account_ + "/" + container;
}

void StorageClient::sign(http::ClientRequest& request, const std::string& path_and_query) const {
  request.headers.emplace_back("x-ms-date", timefmt::rfc1123(timefmt::now()));
  request.headers.emplace_back("x-ms-version", kVersion);
  if (!request.body.empty() || request.method == "PUT")
    request.headers.emplace_back("Content-Length", std::to_string(request.body.size()));
  http::Target target(path_and_query);
  SigningInput in{request.method, request.headers, target.raw_path(), target.params(), account_};
  std::string signature = crypto::base64_encode(
      crypto::hmac_sha256(key_, shared_key_string_to_sign(in, SigningVariant{})));
  request.headers.emplace_back("Authorization", "SharedKey " + account_ + ":" + signature);
}

http::ClientResponse StorageClient::call(http::ClientRequest request,
                                         const std::string& path_and_query,
                                         std::initializer_list<unsigned> expected) const {
  request.url = base_url_ + path_and_query;
  sign(request, path_and_query);
  http::ClientResponse res = client_.send(request);
  for (unsigned ok : expected)
    if (res.status == ok) return res;
  throw StorageCallError(res.status, error_code_of(res),
                         request.method + " " + path_and_query + " answered " +
                             std::to_string(res.status) + " " + error_code_of(res));
}

void StorageClient::create_container(const std::string& container) {
  call({"PUT", "", {}, ""}, "/" + account_ + "/" + container + "?restype=container", {201, 409});
}

void StorageClient::delete_container(const std::string& container) {
  call({"DELETE", "", {}, ""}, "/" + account_ + "/" + container + "?restype=container", {202, 404});
}

std::vector<AccessPolicy> StorageClient::container_acl(const std::string& container) {
  auto res = call({"GET", "", {}, ""},
                  "/" + account_ + "/" + container + "?restype=container&comp=acl", {200});
  return xmlfmt::parse_signed_identifiers(res.body);
}

void StorageClient::set_container_acl(const std::string& container,
                                      const std::vector<AccessPolicy>& acl) {
  call({"PUT", "", {{"Content-Type", "application/xml"}}, xmlfmt::signed_identifiers(acl)},
       "/" + account_ + "/" + container + "?restype=container&comp=acl", {200});
}

std::vector<BlobEntry> StorageClient::list_blobs(const std::string& container) {
  std::vector<BlobEntry> out;
  std::string marker;
  do {
    std::string query = "?restype=container&comp=list&maxresults=5000";
    if (!marker.empty()) query += "&marker=" + str::percent_encode(marker);
    auto res = call({"GET", "", {}, ""}, "/" + account_ + "/" + container + query, {200});
    pugi::xml_document doc;
    if (!doc.load_string(res.body.c_str()))
      throw StorageCallError(res.status, "BadXml", "the blob listing is not XML");
    auto root = doc.child("EnumerationResults");
    for (auto b : root.child("Blobs").children("Blob"))
      out.push_back({b.child_value("Name"),
                     b.child("Properties").child("Content-Length").text().as_ullong()});
    marker = root.child_value("NextMarker");
  } while (!marker.empty());
  return out;
}

void StorageClient::download(const std::string& container, const std::string& blob,
                             const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);
  std::string resource = "/" + account_ + "/" + container + "/" + str::percent_encode(blob, true);
  http::ClientRequest req{"GET", base_url_ + resource, {}, ""};
  sign(req, resource);
  auto res = client_.send(req, [&](const char* data, size_t size) {
    out.write(data, static_cast<std::streamsize>(size));
    return static_cast<bool>(out);
  });
  if (res.status != 200)
    throw StorageCallError(res.status, error_code_of(res),
                           "downloading " + blob + " answered " + std::to_string(res.status));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

void StorageClient::upload(const std::string& container, const std::string& blob,
                           const std::string& path, const std::string& content_type) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string url_path = "/" + account_ + "/" + container + "/" + str::percent_encode(blob, true);
  in.seekg(0, std::ios::end);
  uint64_t size = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  if (size <= kSingleShotLimit) {
    std::string body(size, '\0');
    in.read(body.data(), static_cast<std::streamsize>(size));
    call({"PUT",
          "",
          {{"x-ms-blob-type", "BlockBlob"}, {"x-ms-blob-content-type", content_type}},
          std::move(body)},
         url_path, {201});
    return;
  }
  std::vector<std::string> ids;
  std::string chunk(kBlockSize, '\0');
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    ids.push_back(block_id(ids.size()));
    call({"PUT", "", {}, chunk.substr(0, static_cast<size_t>(in.gcount()))},
         url_path + "?comp=block&blockid=" + str::percent_encode(ids.back()), {201});
  }
  put_block_list(url_path, ids, content_type);
}

void StorageClient::put_block_list(const std::string& url_path, const std::vector<std::string>& ids,
                                   const std::string& content_type) {
  std::string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>";
  for (const auto& id : ids) body += "<Latest>" + id + "</Latest>";
  body += "</BlockList>";
  call({"PUT", "", {{"x-ms-blob-content-type", content_type}}, std::move(body)},
       url_path + "?comp=blocklist", {201});
}

std::string StorageClient::container_sas(const std::string& container,
                                         const std::string& identifier) const {
  SasToken sas;
  sas.sv = kVersion;
  sas.sr = "c";
  sas.si = identifier;
  std::string to_sign = service_sas_string_to_sign(sas, sas_resource(sas, account_, container, ""));
  std::string sig = crypto::base64_encode(crypto::hmac_sha256(key_, to_sign));
  return "sv=" + sas.sv + "&sr=c&si=" + str::percent_encode(identifier) +
         "&sig=" + str::percent_encode(sig);
}

}  // namespace twin::blob
