#include "client/replicator.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>

#include "common/strings.h"

namespace twin::client {
namespace {

constexpr double kTemporaryMinutes = 24 * 60;  // long enough for the largest copy

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string filter_eq(const std::string& property, const std::string& value) {
  std::string quoted = value;
  for (size_t i = 0; (i = quoted.find('\'', i)) != std::string::npos; i += 2) quoted.insert(i, "'");
  return "?$filter=" + str::percent_encode(property + " eq '" + quoted + "'");
}

// A read or write SAS locator on an asset, under a temporary policy named after the asset.
Locator temporary_sas(MediaClient& media, const std::string& asset_id, int permissions) {
  Json policy = media.create("AccessPolicies", {{"Name", kTemporaryPolicyPrefix + asset_id},
                                                {"DurationInMinutes", kTemporaryMinutes},
                                                {"Permissions", permissions}});
  // Started five minutes back, as the walkthrough does, so clock skew cannot make it too young.
  return locator_from(media.create("Locators", {{"AccessPolicyId", policy["Id"]},
                                                {"AssetId", asset_id},
                                                {"StartTime", odata_date(now_ms() - 300000)},
                                                {"Type", kSasLocator}}));
}

// Deletes the temporary SAS locators and policies of an asset, this run's and any an
// interrupted run left. Failures are reported, not thrown: this runs on the way out of errors.
void remove_temporary(MediaClient& media, const std::string& asset_id,
                      const std::function<void(const std::string&)>& say) {
  try {
    std::set<std::string> temporary;
    for (const auto& p : media.get("AccessPolicies"))
      if (policy_from(p).name == kTemporaryPolicyPrefix + asset_id) temporary.insert(p["Id"]);
    if (temporary.empty()) return;
    for (const auto& l : locators_from(media.get("Assets" + entity_key(asset_id) + "/Locators")))
      if (l.type == kSasLocator && temporary.count(l.policy_id))
        media.remove("Locators" + entity_key(l.id));
    for (const auto& id : temporary) media.remove("AccessPolicies" + entity_key(id));
  } catch (const std::exception& e) {
    if (say)
      say("warning: the temporary SAS locators of " + asset_id + " in " + media.name() +
          " could not be deleted: " + e.what());
  }
}

}  // namespace

struct Replicator::Source {
  Locator locator;
  Asset asset;
  std::vector<AssetFile> files;
  std::string manifest;
  std::map<std::string, std::string> md5;  // blob name → base64 MD5
};

struct Replicator::Target {
  std::optional<Asset> asset;
  std::optional<Locator> locator;
  std::vector<AssetFile> files;
  std::map<std::string, BlobProperties> blobs;
};

BlobContainer DataCenter::container(const std::string& name) const {
  return BlobContainer::with_shared_key(profile.storage_url, profile.storage_account,
                                        profile.storage_key, name);
}

Replicator::Replicator(DataCenter a, DataCenter b, ReplicatorEvents events, CopyBatchOptions copy)
    : a_(a), b_(b), events_(std::move(events)), copy_(copy) {}

void Replicator::say(const std::string& line) const {
  if (events_.step) events_.step(line);
}

std::vector<Locator> live_origin_locators(MediaClient& media) {
  std::vector<Locator> out;
  for (auto& l : locators_from(media.get("Locators")))
    if (l.type == kOriginLocator && l.expiry_ms > now_ms()) out.push_back(std::move(l));
  return out;
}

std::vector<Locator> live_origin_locators(MediaClient& media, const std::string& asset_id) {
  std::vector<Locator> out;
  for (auto& l : locators_from(media.get("Assets" + entity_key(asset_id) + "/Locators")))
    if (l.type == kOriginLocator && l.expiry_ms > now_ms()) out.push_back(std::move(l));
  return out;
}

std::string manifest_url(const std::string& streaming_url, const Locator& locator,
                         const std::string& manifest) {
  std::string base = locator.path;  // "http://origin/<guid>/"
  if (!streaming_url.empty()) {
    size_t scheme = base.find("://");
    size_t slash = base.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    base = streaming_url + (slash == std::string::npos ? "/" : base.substr(slash));
  }
  return base + str::percent_encode(manifest, true) + "/manifest";
}

void Replicator::refuse_encrypted(const Asset& asset) const {
  if (asset.options == kStorageEncrypted)
    throw ReplicationRefused(
        "asset " + asset.id + " is storage-encrypted (Options=1): its files are encrypted with " +
        a_.profile.name + "'s keys and cannot be read out through a SAS locator, so they cannot " +
        "be copied (the walkthrough supports only assets created with Options=0)");
}

Replicator::Source Replicator::read_source(const Locator& locator) {
  Source s{locator, asset_from(a_.media.get("Assets" + entity_key(locator.asset_id))), {}, {}, {}};
  const std::string& id = s.asset.id;
  refuse_encrypted(s.asset);
  if (locator.type != kOriginLocator)
    throw ReplicationRefused("locator " + locator.id + " is not an origin locator");
  if (locator.expiry_ms <= now_ms())
    throw ReplicationRefused("the origin locator " + locator.id + " of asset " + id +
                             " has expired; publish the asset again before replicating it");
  s.files = files_from(a_.media.get("Assets" + entity_key(id) + "/Files"));
  const AssetFile* primary = primary_manifest(s.files);
  if (!primary)
    throw ReplicationRefused("asset " + id +
                             " has no primary .ism file, so it cannot stream; "
                             "set IsPrimary on its .ism first");
  s.manifest = primary->name;
  BlobContainer blobs = a_.container(s.asset.container());
  for (const auto& f : s.files) {
    BlobProperties p = blobs.properties(f.name);
    if (!p.exists)
      throw ReplicationRefused("the file " + f.name + " of asset " + id + " has no blob in " +
                               a_.profile.name + "'s container " + s.asset.container());
    s.md5[f.name] = source_md5(blobs, f.name, p);
  }
  return s;
}

std::string Replicator::source_md5(const BlobContainer& container, const std::string& blob,
                                   const BlobProperties& properties) {
  if (!properties.md5.empty()) return properties.md5;
  auto& [etag, md5] = computed_md5_[container.blob_url(blob)];
  if (etag != properties.etag || md5.empty()) {
    md5 = container.md5_of(blob);
    etag = properties.etag;
  }
  return md5;
}

Replicator::Target Replicator::find_target(const Source& source) {
  Target t;
  // The walkthrough checks for a duplicate locator first.
  MediaClient::Answer existing = b_.media.call("GET", "Locators" + entity_key(source.locator.id));
  if (existing.status == 200) {
    t.locator = locator_from(existing.body["d"]);
    t.asset = asset_from(b_.media.get("Assets" + entity_key(t.locator->asset_id)));
    if (t.asset->name != source.asset.container())
      throw ReplicationRefused("locator " + source.locator.id + " already exists in " +
                               b_.profile.name + " for asset " + t.asset->id + " (" +
                               t.asset->name + "), not for a copy of " + source.asset.container());
  } else if (existing.status != 404) {
    throw MediaCallError(existing.status, b_.profile.name + ": GET Locators answered " +
                                              std::to_string(existing.status) + " " +
                                              odata_message(existing));
  } else {
    Json found = b_.media.get("Assets" + filter_eq("Name", source.asset.container()));
    if (!found.empty()) t.asset = asset_from(found[0]);
  }
  if (!t.asset) return t;
  t.files = files_from(b_.media.get("Assets" + entity_key(t.asset->id) + "/Files"));
  BlobContainer blobs = b_.container(t.asset->container());
  for (const auto& f : source.files) t.blobs[f.name] = blobs.properties(f.name);
  return t;
}

namespace {

bool blob_matches(const BlobProperties& p, const AssetFile& f, const std::string& md5) {
  bool settled = p.copy == CopyState::none || p.copy == CopyState::success;
  return p.exists && settled && p.size == uint64_t(f.size) && p.md5 == md5;
}

bool files_match(const std::vector<AssetFile>& source, const std::vector<AssetFile>& target) {
  if (source.size() != target.size()) return false;
  for (const auto& s : source) {
    auto it = std::find_if(target.begin(), target.end(),
                           [&](const AssetFile& t) { return t.name == s.name; });
    if (it == target.end() || it->size != s.size || it->primary != s.primary ||
        it->mime_type != s.mime_type)
      return false;
  }
  return true;
}

bool same_times(const Locator& a, const Locator& b) {
  return a.start_ms == b.start_ms && a.expiry_ms == b.expiry_ms;
}

}  // namespace

bool Replicator::in_place(const Source& source, const Target& target) {
  if (!target.asset || !target.locator || !same_times(*target.locator, source.locator))
    return false;
  for (const auto& f : source.files)
    if (!blob_matches(target.blobs.at(f.name), f, source.md5.at(f.name))) return false;
  return files_match(source.files, target.files);
}

void Replicator::copy_files(const Source& source, Target& target, ReplicationResult& result) {
  std::vector<BlobCopy> copies;
  for (const auto& f : source.files) {
    const BlobProperties& p = target.blobs[f.name];
    if (blob_matches(p, f, source.md5.at(f.name))) {
      result.kept.push_back(f.name);
      continue;
    }
    BlobCopy c{f.name, {}, uint64_t(f.size)};
    if (p.exists && p.copy == CopyState::pending) c.state = CopyState::pending;  // still running
    copies.push_back(std::move(c));
  }
  if (copies.empty()) return;
  // Largest first: with 4 copies at a time the batch ends with the small ones, not with one large
  // copy running alone (the 60 s ladder's top layer is a third of its bytes).
  std::stable_sort(copies.begin(), copies.end(),
                   [](const BlobCopy& x, const BlobCopy& y) { return x.size > y.size; });
  say("a read SAS locator on the source asset in " + a_.profile.name);
  Locator read = temporary_sas(a_.media, source.asset.id, kPermissionRead);
  say("a write SAS locator on the target asset in " + b_.profile.name);
  Locator write = temporary_sas(b_.media, target.asset->id, kPermissionWrite);
  for (auto& c : copies) c.source_url = read.blob_url(c.name);
  say("copying " + std::to_string(copies.size()) + " blobs from " + a_.profile.name + " to " +
      b_.profile.name + " (server-side Copy Blob)");
  BlobContainer writer = BlobContainer::with_sas(write.path);
  BlobContainer reader = b_.container(target.asset->container());
  auto started = std::chrono::steady_clock::now();
  CopyBatch(writer, reader, copy_, events_.copy_progress).run(copies);
  result.copy_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const auto& c : copies) {
    result.copied.push_back(c.name);
    result.bytes_copied += c.size;
  }
}

void Replicator::register_files(const Source& source, const Target& target) {
  say("CreateFileInfos and the primary file in " + b_.profile.name);
  const std::string& id = target.asset->id;
  MediaClient::Answer r =
      b_.media.call("GET", "CreateFileInfos?assetid='" + str::percent_encode(id) + "'");
  if (r.status != 204)
    throw MediaCallError(r.status, b_.profile.name + ": CreateFileInfos answered " +
                                       std::to_string(r.status) + " " + odata_message(r));
  // The file entities as they are in A: primary flag and MIME type.
  for (const auto& t : files_from(b_.media.get("Assets" + entity_key(id) + "/Files"))) {
    auto s = std::find_if(source.files.begin(), source.files.end(),
                          [&](const AssetFile& f) { return f.name == t.name; });
    if (s == source.files.end()) continue;
    Json change = Json::object();
    if (s->primary != t.primary) change["IsPrimary"] = s->primary;
    if (s->mime_type != t.mime_type && !s->mime_type.empty()) change["MimeType"] = s->mime_type;
    if (!change.empty()) b_.media.merge("Files" + entity_key(t.id), change);
  }
}

void Replicator::publish(const Source& source, Target& target) {
  const Locator& a = source.locator;
  Json times = {{"ExpirationDateTime", odata_date(a.expiry_ms)}};
  times["StartTime"] = a.start_ms ? Json(odata_date(*a.start_ms)) : Json(nullptr);
  if (target.locator) {
    if (!same_times(*target.locator, a)) {
      say("the origin locator " + a.id + " in " + b_.profile.name + " gets A's times");
      b_.media.merge("Locators" + entity_key(a.id), times);
    }
  } else {
    say("an origin locator in " + b_.profile.name + " with " + a_.profile.name + "'s Id " + a.id);
    int64_t from = a.start_ms.value_or(now_ms());
    double minutes = std::max<double>(1, double(a.expiry_ms - from) / 60000.0);
    Json policy = b_.media.create("AccessPolicies", {{"Name", kOriginPolicyName},
                                                     {"DurationInMinutes", minutes},
                                                     {"Permissions", kPermissionRead}});
    Json body = {{"Id", a.id},
                 {"AccessPolicyId", policy["Id"]},
                 {"AssetId", target.asset->id},
                 {"Type", kOriginLocator}};
    if (a.start_ms) body["StartTime"] = odata_date(*a.start_ms);
    Locator created = locator_from(b_.media.create("Locators", body));
    if (!same_times(created, a)) b_.media.merge("Locators" + entity_key(a.id), times);
  }
  target.locator = locator_from(b_.media.get("Locators" + entity_key(a.id)));
}

ReplicationResult Replicator::replicate_locator(const std::string& locator_id) {
  Locator locator = locator_from(a_.media.get("Locators" + entity_key(locator_id)));
  Source source = read_source(locator);
  Target target = find_target(source);
  ReplicationResult result{locator.id, source.asset.id, {}, source.manifest, {}, {}, false, {}, {},
                           0};
  result.url_a = manifest_url(a_.profile.streaming_url, locator, source.manifest);
  if (in_place(source, target)) {
    result.already_replicated = true;
    result.target_asset = target.asset->id;
    result.url_b = manifest_url(b_.profile.streaming_url, *target.locator, source.manifest);
    for (const auto& f : source.files) result.kept.push_back(f.name);
    return result;
  }
  if (!target.asset) {
    say("an empty asset " + source.asset.container() + " in " + b_.profile.name);
    target.asset =
        asset_from(b_.media.create("Assets", {{"Name", source.asset.container()}, {"Options", 0}}));
  }
  result.target_asset = target.asset->id;
  // What an interrupted run left is deleted first: an asset holds at most five locators.
  remove_temporary(a_.media, source.asset.id, events_.step);
  remove_temporary(b_.media, target.asset->id, events_.step);
  try {
    copy_files(source, target, result);
    register_files(source, target);
    publish(source, target);
  } catch (...) {
    remove_temporary(a_.media, source.asset.id, events_.step);
    remove_temporary(b_.media, target.asset->id, events_.step);
    throw;
  }
  say("the temporary SAS locators and policies deleted");
  remove_temporary(a_.media, source.asset.id, events_.step);
  remove_temporary(b_.media, target.asset->id, events_.step);
  result.url_b = manifest_url(b_.profile.streaming_url, *target.locator, source.manifest);
  return result;
}

std::vector<ReplicationResult> Replicator::replicate_asset(const std::string& asset_id) {
  refuse_encrypted(asset_from(a_.media.get("Assets" + entity_key(asset_id))));
  std::vector<ReplicationResult> out;
  for (const auto& l : live_origin_locators(a_.media, asset_id))
    out.push_back(replicate_locator(l.id));
  if (out.empty())
    throw ReplicationRefused("asset " + asset_id + " has no live origin locator in " +
                             a_.profile.name + "; publish it first");
  return out;
}

}  // namespace twin::client
