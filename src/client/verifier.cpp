#include "client/verifier.h"

#include <algorithm>
#include <map>

#include "client/stream_urls.h"
#include "http/client.h"

namespace twin::client {
namespace {

// Every manifest format the origin serves, with what lists its playlists and segments.
enum class Listing { smooth, hls, dash };
struct StreamFormat {
  const char* label;
  const char* suffix;  // after ".../<name>.ism/manifest"
  Listing listing;
};
constexpr StreamFormat kFormats[] = {
    {"smooth", "", Listing::smooth},
    {"smooth (fmp4-v20)", "(format=fmp4-v20)", Listing::smooth},
    {"hls (m3u8-aapl)", "(format=m3u8-aapl)", Listing::hls},
    {"hls (m3u8-cmaf)", "(format=m3u8-cmaf)", Listing::hls},
    {"dash (mpd-time-csf)", "(format=mpd-time-csf)", Listing::dash},
    {"dash (mpd-time-cmaf)", "(format=mpd-time-cmaf)", Listing::dash},
};

std::string first_difference(const std::string& what, const std::string& a, const std::string& b) {
  return what + ": " + a + " in A, " + b + " in B";
}

struct Fetched {
  unsigned status = 0;
  std::string body;
};

Fetched fetch(const http::Client& http, const std::string& url) {
  try {
    http::ClientResponse r = http.send({"GET", url, {}, {}}, 256ull << 20);
    return {r.status, std::move(r.body)};
  } catch (const http::ClientError& e) {
    return {0, e.what()};
  }
}

// A status that says nothing of the content: no connection (0) or the server's own failure.
bool no_answer(unsigned status) {
  return status == 0 || status >= 500;
}

std::string human(uint64_t bytes) {
  return std::to_string((bytes + (1 << 19)) >> 20) + " MiB";
}

}  // namespace

bool Verification::same() const {
  return std::all_of(checks.begin(), checks.end(), [](const Check& c) { return c.same; });
}

bool Verification::inconclusive() const {
  bool any = false;
  for (const Check& c : checks) {
    if (c.same) continue;
    if (!c.inconclusive) return false;
    any = true;
  }
  return any;
}

Verifier::Verifier(DataCenter a, DataCenter b, std::function<void(const std::string&)> progress)
    : a_(a), b_(b), progress_(std::move(progress)) {}

Check Verifier::compare_blobs(const Asset& source, const Asset& target) {
  auto listing = [](const DataCenter& dc, const Asset& asset) {
    BlobContainer container = dc.container(asset.container());
    std::map<std::string, BlobListing> out;
    for (auto& b : container.list()) {
      if (b.md5.empty()) b.md5 = container.md5_of(b.name);  // block lists keep no MD5
      out[b.name] = b;
    }
    return out;
  };
  auto a = listing(a_, source), b = listing(b_, target);
  uint64_t bytes = 0;
  for (const auto& [name, blob] : a) {
    auto it = b.find(name);
    if (it == b.end()) return {"blobs", false, name + " is missing in " + b_.profile.name};
    if (it->second.size != blob.size)
      return {"blobs", false,
              first_difference(name + " size", std::to_string(blob.size),
                               std::to_string(it->second.size))};
    if (it->second.md5 != blob.md5)
      return {"blobs", false, first_difference(name + " MD5", blob.md5, it->second.md5)};
    bytes += blob.size;
  }
  for (const auto& [name, blob] : b)
    if (!a.count(name)) return {"blobs", false, name + " is only in " + b_.profile.name};
  return {"blobs", true, std::to_string(a.size()) + " blobs, " + human(bytes) + ", size and MD5"};
}

Check Verifier::compare_files(const std::string& source_id, const std::string& target_id) {
  auto files = [](DataCenter& dc, const std::string& id) {
    std::map<std::string, AssetFile> out;
    for (auto& f : files_from(dc.media.get("Assets" + entity_key(id) + "/Files"))) out[f.name] = f;
    return out;
  };
  auto a = files(a_, source_id), b = files(b_, target_id);
  for (const auto& [name, f] : a) {
    auto it = b.find(name);
    if (it == b.end()) return {"files", false, "no file entity " + name + " in " + b_.profile.name};
    const AssetFile& g = it->second;
    if (g.size != f.size)
      return {"files", false,
              first_difference(name + " ContentFileSize", std::to_string(f.size),
                               std::to_string(g.size))};
    if (g.primary != f.primary)
      return {"files", false,
              first_difference(name + " IsPrimary", f.primary ? "true" : "false",
                               g.primary ? "true" : "false")};
    if (g.mime_type != f.mime_type)
      return {"files", false, first_difference(name + " MimeType", f.mime_type, g.mime_type)};
  }
  if (a.size() != b.size())
    return {"files", false,
            first_difference("file entities", std::to_string(a.size()), std::to_string(b.size()))};
  return {"files", true, std::to_string(a.size()) + " entities: name, size, primary, MIME type"};
}

std::vector<Check> Verifier::compare_streams(const Locator& a, const Locator& b,
                                             const std::string& ism) {
  http::Client http;
  std::string base_a = manifest_url(a_.profile.streaming_url, a, ism);
  std::string base_b = manifest_url(b_.profile.streaming_url, b, ism);
  std::vector<Check> out;
  for (const StreamFormat& format : kFormats) {
    if (progress_) progress_("comparing " + std::string(format.label));
    Check check{format.label, true, {}};
    size_t urls = 0;
    uint64_t bytes = 0;
    // (url in A, url in B), breadth first: manifest, playlists, segments.
    std::vector<std::pair<std::string, std::string>> queue = {
        {base_a + format.suffix, base_b + format.suffix}};
    for (size_t i = 0; i < queue.size() && check.same; ++i) {
      auto [url_a, url_b] = queue[i];
      Fetched fa = fetch(http, url_a), fb = fetch(http, url_b);
      ++urls;
      if (fa.status != 200 || fb.status != 200 || fa.body != fb.body) {
        check.same = false;
        check.inconclusive = no_answer(fa.status) || no_answer(fb.status);
        check.detail =
            url_b.substr(url_b.find(ism)) + ": " +
            (fa.status != 200 || fb.status != 200
                 ? first_difference("status", std::to_string(fa.status), std::to_string(fb.status))
                 : "different bytes (" + std::to_string(fa.body.size()) + " in A, " +
                       std::to_string(fb.body.size()) + " in B)");
        break;
      }
      bytes += fa.body.size();
      std::vector<std::string> children;
      try {
        if (i == 0 && format.listing == Listing::smooth) children = smooth_fragment_urls(fa.body);
        if (i == 0 && format.listing == Listing::dash) children = dash_segment_urls(fa.body);
        if (format.listing == Listing::hls && fa.body.starts_with("#EXTM3U"))
          children = hls_uris(fa.body);  // the master playlist, then each media playlist
      } catch (const ManifestError& e) {
        check = {format.label, false, e.what()};
        break;
      }
      for (const auto& c : children)
        queue.emplace_back(resolve_url(url_a, c), resolve_url(url_b, c));
    }
    if (check.same)
      check.detail = std::to_string(urls) + " URLs (manifests and segments), " + human(bytes) +
                     ", byte for byte";
    out.push_back(std::move(check));
  }
  return out;
}

Verification Verifier::verify_locator(const std::string& locator_id) {
  Locator a = locator_from(a_.media.get("Locators" + entity_key(locator_id)));
  Asset source = asset_from(a_.media.get("Assets" + entity_key(a.asset_id)));
  Verification v{a.id, source.id, {}, {}};
  MediaClient::Answer found = b_.media.call("GET", "Locators" + entity_key(a.id));
  if (found.status != 200) {
    v.checks.push_back({"locator", false, "no locator " + a.id + " in " + b_.profile.name});
    return v;
  }
  Locator b = locator_from(found.body["d"]);
  v.target_asset = b.asset_id;
  bool same_times = a.start_ms == b.start_ms && a.expiry_ms == b.expiry_ms;
  v.checks.push_back(
      {"locator", same_times,
       same_times ? "same Id, start and expiry" : "same Id, different start or expiry"});
  Asset target = asset_from(b_.media.get("Assets" + entity_key(b.asset_id)));
  if (progress_) progress_("comparing the blobs of " + source.id);
  v.checks.push_back(compare_blobs(source, target));
  v.checks.push_back(compare_files(source.id, target.id));
  auto files = files_from(a_.media.get("Assets" + entity_key(source.id) + "/Files"));
  const AssetFile* primary = primary_manifest(files);
  if (!primary) {
    v.checks.push_back({"streams", false, "the source asset has no primary .ism"});
    return v;
  }
  for (auto& c : compare_streams(a, b, primary->name)) v.checks.push_back(std::move(c));
  return v;
}

std::vector<Verification> Verifier::verify_asset(const std::string& asset_id) {
  std::vector<Verification> out;
  for (const auto& l : live_origin_locators(a_.media, asset_id))
    out.push_back(verify_locator(l.id));
  if (out.empty())
    throw ReplicationRefused("asset " + asset_id + " has no live origin locator in " +
                             a_.profile.name + ", so nothing of it is published to compare");
  return out;
}

std::vector<Verification> Verifier::verify_all() {
  std::vector<Verification> out;
  for (const auto& l : live_origin_locators(a_.media)) out.push_back(verify_locator(l.id));
  return out;
}

}  // namespace twin::client
