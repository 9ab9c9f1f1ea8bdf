#include "origin/origin_service.h"

#include <boost/beast/http/field.hpp>

#include "common/crypto.h"
#include "common/strings.h"
#include "common/time.h"
#include "http/range.h"
#include "http/target.h"
#include "mp4/fragment.h"
#include "mp4/init_segment.h"
#include "package/dash.h"
#include "package/hls.h"
#include "package/renditions.h"
#include "package/smooth_manifest.h"

namespace twin::origin {
namespace bhttp = boost::beast::http;
namespace {

// A deleted or changed locator is noticed within this time.
constexpr auto kLocatorTtl = std::chrono::milliseconds(900);
constexpr size_t kMaxCachedLocators = 100000;
constexpr const char* kManifestCache = "public, max-age=2";
constexpr const char* kSegmentCache = "public, max-age=31536000, immutable";

struct Content {
  http::OutBody::value_type body;  // its fields: see content_fields
  std::string etag;
};

// Every field of a successful response but the length, in one string (built once per object).
std::shared_ptr<const std::string> content_fields(const std::string& type, const std::string& etag,
                                                  const std::string& last_modified,
                                                  const char* cache_control) {
  return std::make_shared<const std::string>(
      "Server: twinorigin-origin/0.1\r\nContent-Type: " + type + "\r\nETag: " + etag +
      "\r\nLast-Modified: " + last_modified + "\r\nCache-Control: " + cache_control +
      "\r\nAccept-Ranges: bytes\r\nAccess-Control-Allow-Origin: *\r\n"
      "Access-Control-Expose-Headers: Content-Length, Content-Range, ETag, Last-Modified\r\n");
}

std::string etag_of(std::string_view identity) {
  return "\"" + crypto::hex(crypto::sha256(identity)).substr(0, 32) + "\"";
}

void cors(http::Response& res) {
  res.set(bhttp::field::access_control_allow_origin, "*");
  res.set(bhttp::field::access_control_expose_headers,
          "Content-Length, Content-Range, ETag, Last-Modified");
}

http::Response text_response(http::Exchange& ex, unsigned status, const std::string& message) {
  http::Response res{static_cast<bhttp::status>(status), 11};
  res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  res.set(bhttp::field::server, "twinorigin-origin/0.1");
  res.set("x-request-id", ex.request_id);
  cors(res);
  res.body().text = message + "\n";
  if (ex.log_cause.empty() && status >= 400) ex.log_cause = message;
  return res;
}

// The response for content, honouring Range and If-None-Match.
http::Response deliver(http::Exchange& ex, Content c) {
  if (auto inm = ex.request[bhttp::field::if_none_match]; !inm.empty() && inm == c.etag) {
    http::Response res{bhttp::status::not_modified, 11};
    res.set(bhttp::field::etag, c.etag);
    cors(res);
    return res;
  }
  uint64_t size = c.body.size();
  http::Response res{bhttp::status::ok, 11};
  auto range = http::parse_range(ex.request[bhttp::field::range], size);
  if (range.result == http::RangeResult::unsatisfiable) {
    res.result(bhttp::status::range_not_satisfiable);
    cors(res);
    res.set(bhttp::field::content_range, "bytes */" + std::to_string(size));
    ex.log_cause = "range outside the " + std::to_string(size) + " bytes";
    return res;
  }
  if (range.result == http::RangeResult::ok) {
    res.result(bhttp::status::partial_content);
    res.set(bhttp::field::content_range,
            "bytes " + std::to_string(range.range.first) + "-" +
                std::to_string(range.range.first + range.range.length - 1) + "/" +
                std::to_string(size));
    c.body = c.body.slice(range.range.first, range.range.length);
  }
  res.body() = std::move(c.body);
  return res;
}

const char* manifest_type(Format f) {
  switch (f) {
    case Format::hls:
    case Format::hls_cmaf:
      return "application/vnd.apple.mpegurl";
    case Format::dash:
    case Format::dash_cmaf:
      return "application/dash+xml";
    default:
      return "application/vnd.ms-sstr+xml";  // how players recognise Smooth
  }
}

std::string build_manifest(const Asset& a, const OriginRequest& r,
                           const package::ManifestSteering* steering) {
  const auto& p = a.presentation;
  switch (r.format) {
    case Format::smooth:
      return package::smooth_manifest(p);
    case Format::smooth_v20:
      return package::smooth_manifest(p, true);
    case Format::hls:
    case Format::hls_cmaf:
      return package::hls_master_playlist(p, r.format_name, steering);
    default:
      return package::dash_mpd(p, r.format_name, steering);
  }
}

// A fragment's header and sample ranges; its ETag covers the header (sizes, times, flags of every
// sample) and the source file's MD5, so it is the same wherever the same file is served.
Built fragment(const Asset& asset, const blob::DataFiles& files, const package::Rendition& r,
               size_t index, Format format) {
  const auto& seg = r.segments[index];
  bool smooth = format == Format::smooth || format == Format::smooth_v20;
  bool video = r.track.kind == mp4::TrackKind::video;
  mp4::FragmentRequest fr{seg.first_sample,
                          seg.sample_count,
                          static_cast<uint32_t>(index + 1),
                          video ? r.track.edit_media_time : 0,
                          smooth ? package::kSmoothTimescale : 0,
                          smooth};
  mp4::FragmentPlan plan = mp4::plan_fragment(r.track, fr);
  std::string size = std::to_string(plan.size());
  const AssetFile& file = asset.files.at(r.file);
  std::string etag = etag_of(plan.header + file.md5 + size);
  Built b{std::move(plan.header), {}, std::move(etag), {}};
  // The data files are immutable: their spans are kept with the header (the asset is re-checked
  // against the blobs every second, and an open file outlives an unlink).
  for (const auto& range : plan.ranges)
    for (auto& span : files.spans(file.extents, range.offset, range.length))
      b.spans.push_back(std::move(span));
  return b;
}

}  // namespace

OriginService::OriginService(blob::Backend& storage, PublicationLookup lookup,
                             config::Steering steering)
    : storage_(storage),
      lookup_(std::move(lookup)),
      steering_(std::move(steering)),
      assets_(storage) {}

uint64_t OriginService::plan_body(http::Exchange&) {
  return 0;
}

std::optional<Publication> OriginService::publication(const std::string& guid) {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(locators_mutex_);
    auto it = locators_.find(guid);
    if (it != locators_.end() && now - it->second.fetched < kLocatorTtl)
      return it->second.publication;
  }
  auto found = lookup_(guid);
  std::lock_guard lock(locators_mutex_);
  if (locators_.size() > kMaxCachedLocators) locators_.clear();
  locators_[guid] = {found, now};
  return found;
}

http::Response OriginService::handle(http::Exchange& ex) {
  auto method = ex.request.method();
  if (method == bhttp::verb::options) {
    http::Response res{bhttp::status::no_content, 11};
    cors(res);
    res.set(bhttp::field::access_control_allow_methods, "GET, HEAD, OPTIONS");
    // CMCD's headers too, for players that send it as headers (the front reads it).
    res.set(bhttp::field::access_control_allow_headers,
            "Range, If-None-Match, Origin, Accept, CMCD-Request, CMCD-Object, CMCD-Status, "
            "CMCD-Session");
    res.set(bhttp::field::access_control_max_age, "86400");
    return res;
  }
  if (method != bhttp::verb::get && method != bhttp::verb::head)
    return text_response(ex, 405, "the origin serves GET, HEAD and OPTIONS only");
  http::Target target(ex.request.target());
  auto parsed = parse_origin_url(target.decoded_path());
  if (auto* error = std::get_if<UrlError>(&parsed))
    return text_response(ex, error->status, error->message);
  const auto& req = std::get<OriginRequest>(parsed);
  auto pub = publication(req.locator);
  int64_t now_ms = timefmt::unix_micros(timefmt::now()) / 1000;
  if (!pub || (pub->start_ms && now_ms < *pub->start_ms) || now_ms >= pub->expiry_ms)
    return text_response(ex, 404, "no live origin locator " + req.locator);
  try {
    if (req.resource == Resource::file) return serve_file(ex, *pub, req.file_name);
    return serve_packaged(ex, *pub, req);
  } catch (const AssetError& e) {
    return text_response(ex, e.status, e.what());
  } catch (const mp4::FormatError& e) {
    return text_response(ex, 415, std::string("the asset cannot be packaged: ") + e.what());
  }
}

http::Response OriginService::serve_file(http::Exchange& ex, const Publication& pub,
                                         const std::string& name) {
  auto c = storage_.meta.container(pub.storage_account, pub.container);
  auto b = c ? storage_.meta.blob(c->id, name, true) : std::nullopt;
  if (!b || (b->copy && b->copy->status == "pending"))
    return text_response(ex, 404, "the asset has no file '" + name + "'");
  Content content;
  content.body.spans = storage_.files.spans(b->extents, 0, b->size);
  content.etag = etag_of("file:" + (b->content.md5.empty() ? b->etag : b->content.md5) + ":" +
                         std::to_string(b->size));
  content.body.fields = content_fields(b->content.type, content.etag,
                                       timefmt::rfc1123(b->last_modified), kSegmentCache);
  return deliver(ex, std::move(content));
}

http::Response OriginService::serve_packaged(http::Exchange& ex, const Publication& pub,
                                             const OriginRequest& req) {
  auto asset = assets_.get(pub.storage_account, pub.container, req.ism_name);
  std::string type = manifest_type(req.format);
  const char* cache_control = kManifestCache;
  // Each response object is built once with its fields: body, ETag, header lines.
  auto finish = [&](Built b) {
    if (b.etag.empty()) b.etag = etag_of(b.text);
    b.fields = content_fields(type, b.etag, asset->last_modified_text, cache_control);
    return b;
  };
  auto text = [&](std::string body) { return finish(Built{std::move(body), {}, {}, {}}); };
  std::shared_ptr<const Built> built;
  if (req.resource == Resource::manifest) {
    // With steering the manifest names its own path, which differs between locators of an asset.
    std::optional<package::ManifestSteering> steering;
    if (steering_.enabled())
      steering.emplace(package::ManifestSteering{
          steering_, "/" + req.locator + "/" + str::percent_encode(req.ism_name) + "/"});
    std::string key = "manifest:" + req.format_name + (steering ? ":" + steering->asset_path : "");
    built = asset->built(
        key, [&] { return text(build_manifest(*asset, req, steering ? &*steering : nullptr)); });
  } else {
    const package::Rendition* r =
        package::find_rendition(asset->presentation, req.stream, req.bitrate);
    if (!r)
      return text_response(
          ex, 404, "no stream '" + req.stream + "' at " + std::to_string(req.bitrate) + " bps");
    // One file may hold both the video and the audio of an asset: key by stream too.
    std::string id = req.format_name + ":" + r->file + ":" + package::stream_name(*r);
    if (req.resource == Resource::media_playlist) {
      built = asset->built("playlist:" + id,
                           [&] { return text(package::hls_media_playlist(*r, req.format_name)); });
    } else {
      type = r->track.kind == mp4::TrackKind::video ? "video/mp4" : "audio/mp4";
      cache_control = kSegmentCache;
      if (req.resource == Resource::init_segment) {
        built = asset->built("init:" + id, [&] { return text(mp4::init_segment(r->track)); });
      } else {
        auto index = package::segment_at(*r, req.time);
        if (!index)
          return text_response(ex, 404, "no fragment starts at " + std::to_string(req.time));
        built = asset->built("fragment:" + id + ":" + std::to_string(*index), [&] {
          return finish(fragment(*asset, storage_.files, *r, *index, req.format));
        });
      }
    }
  }
  Content c;
  c.etag = built->etag;
  c.body.fields = built->fields;
  c.body.text = built->text;
  c.body.spans = built->spans;
  return deliver(ex, std::move(c));
}

http::Response OriginService::error_response(http::Exchange& ex, unsigned status,
                                             const std::string&, const std::string& message) {
  return text_response(ex, status, message);
}

}  // namespace twin::origin
