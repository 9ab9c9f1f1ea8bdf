#include "blob/meta_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "common/crypto.h"

namespace twin::blob {
using json = nlohmann::json;
using store::Transaction;

namespace {
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS containers(
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL,
  name TEXT NOT NULL,
  etag TEXT NOT NULL,
  last_modified INTEGER NOT NULL,
  public_access TEXT NOT NULL DEFAULT '',
  metadata TEXT NOT NULL DEFAULT '[]',
  acl TEXT NOT NULL DEFAULT '[]',
  UNIQUE(account, name));
CREATE TABLE IF NOT EXISTS blobs(
  id INTEGER PRIMARY KEY,
  container_id INTEGER NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  created INTEGER NOT NULL,
  last_modified INTEGER NOT NULL,
  content TEXT NOT NULL,
  metadata TEXT NOT NULL DEFAULT '[]',
  copy TEXT,
  UNIQUE(container_id, name));
CREATE TABLE IF NOT EXISTS extents(
  blob_id INTEGER NOT NULL REFERENCES blobs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  file TEXT NOT NULL,
  offset INTEGER NOT NULL,
  length INTEGER NOT NULL,
  block_id TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(blob_id, seq));
CREATE INDEX IF NOT EXISTS extents_file ON extents(file);
CREATE TABLE IF NOT EXISTS blocks(
  container_id INTEGER NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
  blob_name TEXT NOT NULL,
  block_id TEXT NOT NULL,
  size INTEGER NOT NULL,
  file TEXT NOT NULL,
  offset INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(container_id, blob_name, block_id));
CREATE INDEX IF NOT EXISTS blocks_file ON blocks(file);
CREATE TABLE IF NOT EXISTS service_properties(
  account TEXT PRIMARY KEY,
  cors TEXT NOT NULL);
)sql";

constexpr const char* kBlobColumns =
    "id, container_id, name, size, etag, created, last_modified, content, metadata, copy";

json metadata_json(const Metadata& m) {
  json out = json::array();
  for (const auto& [k, v] : m) out.push_back({k, v});
  return out;
}

Metadata metadata_from(const std::string& text) {
  Metadata m;
  for (const auto& pair : json::parse(text)) m.emplace_back(pair[0], pair[1]);
  return m;
}

json content_json(const ContentProperties& c) {
  return {{"type", c.type},           {"encoding", c.encoding},
          {"language", c.language},   {"disposition", c.disposition},
          {"cache", c.cache_control}, {"md5", crypto::base64_encode(c.md5)}};
}

ContentProperties content_from(const std::string& text) {
  json j = json::parse(text);
  ContentProperties c;
  c.type = j.value("type", "");
  c.encoding = j.value("encoding", "");
  c.language = j.value("language", "");
  c.disposition = j.value("disposition", "");
  c.cache_control = j.value("cache", "");
  c.md5 = crypto::base64_decode(j.value("md5", "")).value_or("");
  return c;
}

json copy_json(const CopyState& c) {
  json j = {{"id", c.id},         {"status", c.status},
            {"source", c.source}, {"desc", c.description},
            {"copied", c.copied}, {"total", c.total}};
  if (c.completed) j["completed"] = timefmt::unix_micros(*c.completed);
  return j;
}

CopyState copy_from(const std::string& text) {
  json j = json::parse(text);
  CopyState c;
  c.id = j.value("id", "");
  c.status = j.value("status", "");
  c.source = j.value("source", "");
  c.description = j.value("desc", "");
  c.copied = j.value("copied", uint64_t{0});
  c.total = j.value("total", uint64_t{0});
  if (j.contains("completed"))
    c.completed = timefmt::from_unix_micros(j["completed"].get<int64_t>());
  return c;
}

BlobRecord blob_from_row(store::Statement& st) {
  BlobRecord b;
  b.id = st.column_int(0);
  b.container_id = st.column_int(1);
  b.name = st.column_text(2);
  b.size = static_cast<uint64_t>(st.column_int(3));
  b.etag = st.column_text(4);
  b.created = timefmt::from_unix_micros(st.column_int(5));
  b.last_modified = timefmt::from_unix_micros(st.column_int(6));
  b.content = content_from(st.column_text(7));
  b.metadata = metadata_from(st.column_text(8));
  if (!st.column_null(9)) b.copy = copy_from(st.column_text(9));
  return b;
}

ContainerRecord container_from_row(store::Statement& st) {
  ContainerRecord c;
  c.id = st.column_int(0);
  c.account = st.column_text(1);
  c.name = st.column_text(2);
  c.etag = st.column_text(3);
  c.last_modified = timefmt::from_unix_micros(st.column_int(4));
  c.public_access = st.column_text(5);
  c.metadata = metadata_from(st.column_text(6));
  for (const auto& p : json::parse(st.column_text(7)))
    c.acl.push_back({p.value("id", ""), p.value("start", ""), p.value("expiry", ""),
                     p.value("permission", "")});
  return c;
}

// The smallest string greater than every string that starts with prefix.
std::string prefix_end(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}
}  // namespace

std::string new_etag() {
  // The service's ETags look like 0x8DC…; random bits keep them unique per write.
  std::string hex = crypto::hex(crypto::random_bytes(7));
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "0x8D" + hex.substr(0, 13);
}

namespace {
// An uncommitted blob has no ETag of its own; this one changes when a block is staged.
std::string uncommitted_etag(timefmt::Instant staged) {
  std::string hex = crypto::hex(crypto::md5(std::to_string(timefmt::unix_micros(staged))));
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "0x8D" + hex.substr(0, 13);
}
}  // namespace

MetaStore::MetaStore(store::Database& db) : db_(db) {
  auto lock = db_.lock();
  db_.exec(kSchema);
  // Stores made before blocks recorded when they were staged get the column (0 for old rows).
  bool has_staged = false;
  auto& columns = db_.prepare("SELECT 1 FROM pragma_table_info('blocks') WHERE name='staged'");
  has_staged = columns.step();
  columns.reset();
  if (!has_staged) db_.exec("ALTER TABLE blocks ADD COLUMN staged INTEGER NOT NULL DEFAULT 0");
}

bool MetaStore::create_container(const ContainerRecord& c) {
  Transaction tx(db_);
  auto& st = db_.prepare(
      "INSERT OR IGNORE INTO containers(account, name, etag, last_modified, public_access, "
      "metadata) VALUES(?,?,?,?,?,?)");
  st.bind_all(c.account, c.name, c.etag, timefmt::unix_micros(c.last_modified), c.public_access,
              metadata_json(c.metadata).dump());
  st.run();
  bool created = db_.changes() > 0;
  tx.commit();
  return created;
}

std::optional<ContainerRecord> MetaStore::container(const std::string& account,
                                                    const std::string& name) {
  auto& st = db_.prepare_read(
      "SELECT id, account, name, etag, last_modified, public_access, metadata, acl FROM "
      "containers WHERE account=? AND name=?");
  st.bind_all(account, name);
  if (!st.step()) return std::nullopt;
  auto c = container_from_row(st);
  st.reset();
  return c;
}

std::vector<ContainerRecord> MetaStore::list_containers(const std::string& account,
                                                        const std::string& prefix,
                                                        const std::string& marker, size_t limit) {
  auto& st = db_.prepare_read(
      "SELECT id, account, name, etag, last_modified, public_access, metadata, acl FROM "
      "containers WHERE account=? AND name>=? AND name>=? AND (?='' OR name<?) ORDER BY name "
      "LIMIT ?");
  std::string end = prefix_end(prefix);
  st.bind_all(account, prefix, marker, end, end, static_cast<int64_t>(limit));
  std::vector<ContainerRecord> out;
  while (st.step()) out.push_back(container_from_row(st));
  return out;
}

void MetaStore::set_container_metadata(int64_t id, const Metadata& metadata,
                                       const std::string& etag, timefmt::Instant now) {
  auto lock = db_.lock();
  db_.prepare("UPDATE containers SET metadata=?, etag=?, last_modified=? WHERE id=?")
      .bind_all(metadata_json(metadata).dump(), etag, timefmt::unix_micros(now), id)
      .run();
}

void MetaStore::set_container_acl(int64_t id, const std::string& public_access,
                                  const std::vector<AccessPolicy>& acl, const std::string& etag,
                                  timefmt::Instant now) {
  json policies = json::array();
  for (const auto& p : acl)
    policies.push_back(
        {{"id", p.id}, {"start", p.start}, {"expiry", p.expiry}, {"permission", p.permission}});
  auto lock = db_.lock();
  db_.prepare("UPDATE containers SET public_access=?, acl=?, etag=?, last_modified=? WHERE id=?")
      .bind_all(public_access, policies.dump(), etag, timefmt::unix_micros(now), id)
      .run();
}

std::string MetaStore::service_cors(const std::string& account) {
  auto& q = db_.prepare_read("SELECT cors FROM service_properties WHERE account=?");
  q.bind_all(account);
  std::string cors = q.step() ? q.column_text(0) : "<Cors />";
  // A stepped statement left unreset keeps its read transaction open, and every later read on
  // this thread's connection would see the database as it was then (containers made since
  // "not found": found by the dashboard's upload).
  q.reset();
  return cors;
}

void MetaStore::set_service_cors(const std::string& account, const std::string& cors_xml) {
  auto lock = db_.lock();
  db_.prepare(
         "INSERT INTO service_properties(account, cors) VALUES(?, ?) "
         "ON CONFLICT(account) DO UPDATE SET cors=excluded.cors")
      .bind_all(account, cors_xml)
      .run();
}

std::vector<std::string> MetaStore::delete_container(int64_t id) {
  Transaction tx(db_);
  std::vector<std::string> files;
  auto& ext = db_.prepare(
      "SELECT DISTINCT file FROM extents WHERE blob_id IN (SELECT id FROM blobs WHERE "
      "container_id=?)");
  ext.bind_all(id);
  while (ext.step()) files.push_back(ext.column_text(0));
  auto& blk = db_.prepare("SELECT DISTINCT file FROM blocks WHERE container_id=?");
  blk.bind_all(id);
  while (blk.step()) files.push_back(blk.column_text(0));
  db_.prepare("DELETE FROM containers WHERE id=?").bind_all(id).run();
  auto gone = unreferenced(files);
  tx.commit();
  return gone;
}

std::optional<BlobRecord> MetaStore::blob(int64_t container_id, const std::string& name,
                                          bool with_extents) {
  std::optional<store::Database::ReadSnapshot> snapshot;
  if (with_extents) snapshot.emplace(db_);  // the row and its extents from one state
  auto& st = db_.prepare_read(std::string("SELECT ") + kBlobColumns +
                              " FROM blobs WHERE container_id=? AND name=?");
  st.bind_all(container_id, name);
  if (!st.step()) return std::nullopt;
  BlobRecord b = blob_from_row(st);
  st.reset();
  if (with_extents) b.extents = extents(b.id);
  return b;
}

std::optional<BlobRecord> MetaStore::blob_by_id(int64_t id) {
  auto& st = db_.prepare_read(std::string("SELECT ") + kBlobColumns + " FROM blobs WHERE id=?");
  st.bind_all(id);
  if (!st.step()) return std::nullopt;
  BlobRecord b = blob_from_row(st);
  st.reset();
  return b;
}

namespace {
// A plain range on (container_id, name) so that SQLite walks the unique index.
const std::string kListCommitted = std::string("SELECT ") + kBlobColumns +
                                   " FROM blobs WHERE container_id=?1 AND name>=?2 AND "
                                   "(?3='' OR name<?3) ORDER BY name LIMIT ?4";
// The same, with the names that have staged blocks and no committed blob (id 0, size 0).
const std::string kListWithUncommitted =
    std::string("SELECT ") + kBlobColumns +
    " FROM blobs WHERE container_id=?1 AND name>=?2 AND (?3='' OR name<?3) UNION ALL "
    "SELECT 0, container_id, blob_name, 0, '', MAX(staged), MAX(staged), '{}', '[]', NULL "
    "FROM blocks WHERE container_id=?1 AND blob_name>=?2 AND (?3='' OR blob_name<?3) AND NOT "
    "EXISTS (SELECT 1 FROM blobs WHERE blobs.container_id=?1 AND blobs.name=blocks.blob_name) "
    "GROUP BY blob_name ORDER BY 3 LIMIT ?4";

// Where a listing resumes. A page that ended on a BlobPrefix has that prefix as its marker:
// the next page starts after every name under it, or the prefix would come back on every page.
std::string resume_from(const std::string& prefix, const std::string& delimiter,
                        const std::string& marker, bool& inclusive) {
  inclusive = marker.empty() || marker < prefix;
  if (inclusive) return prefix;
  size_t cut = delimiter.empty() ? std::string::npos : marker.find(delimiter, prefix.size());
  if (marker.compare(0, prefix.size(), prefix) == 0 && cut != std::string::npos) {
    inclusive = true;
    return prefix_end(marker.substr(0, cut + delimiter.size()));
  }
  return marker;
}
}  // namespace

ListPage MetaStore::list_blobs(int64_t container_id, const std::string& prefix,
                               const std::string& delimiter, const std::string& marker,
                               size_t limit, bool with_uncommitted) {
  ListPage page;
  bool inclusive = true;
  std::string from = resume_from(prefix, delimiter, marker, inclusive);
  if (from.empty() && !marker.empty()) return page;  // resumed past the last possible name
  std::string end = prefix_end(prefix);
  size_t count = 0;
  std::string last_name;
  while (true) {
    auto& st = db_.prepare_read(with_uncommitted ? kListWithUncommitted : kListCommitted);
    // Enough rows to fill the page, see whether another follows and skip the marker itself;
    // each row costs a JSON parse, so no more.
    st.bind_all(container_id, from, end,
                static_cast<int64_t>(std::min<size_t>(limit - count, 256) + 2));
    std::vector<BlobRecord> batch;
    while (st.step()) {
      BlobRecord b = blob_from_row(st);
      if (!inclusive && b.name == from) continue;
      if (b.id == 0) b.etag = uncommitted_etag(b.last_modified);
      batch.push_back(std::move(b));
    }
    if (batch.empty()) return page;
    for (auto& b : batch) {
      if (count == limit) {
        page.next_marker = last_name;
        return page;
      }
      size_t cut = delimiter.empty() ? std::string::npos : b.name.find(delimiter, prefix.size());
      if (cut != std::string::npos) {
        std::string p = b.name.substr(0, cut + delimiter.size());
        page.prefixes.push_back(p);
        last_name = p;
        ++count;
        // Skip every other name under this prefix.
        from = prefix_end(p);
        inclusive = true;
        if (from.empty()) return page;  // nothing sorts after this prefix
        break;
      }
      last_name = b.name;
      page.blobs.push_back(std::move(b));
      ++count;
      from = last_name;
      inclusive = false;
    }
  }
}

std::vector<std::string> MetaStore::put_blob(BlobRecord& blob, bool drop_blocks) {
  Transaction tx(db_);
  std::vector<std::string> dropped;
  auto existing = this->blob(blob.container_id, blob.name, true);
  if (existing) {
    for (const auto& e : existing->extents) dropped.push_back(e.file);
    blob.created = existing->created;
    db_.prepare("DELETE FROM extents WHERE blob_id=?").bind_all(existing->id).run();
    auto& st = db_.prepare(
        "UPDATE blobs SET size=?, etag=?, last_modified=?, content=?, metadata=?, copy=? WHERE "
        "id=?");
    st.bind_all(blob.size, blob.etag, timefmt::unix_micros(blob.last_modified),
                content_json(blob.content).dump(), metadata_json(blob.metadata).dump());
    if (blob.copy)
      st.bind(6, copy_json(*blob.copy).dump());
    else
      st.bind(6, nullptr);
    st.bind(7, existing->id);
    st.run();
    blob.id = existing->id;
  } else {
    auto& st = db_.prepare(
        "INSERT INTO blobs(container_id, name, size, etag, created, last_modified, content, "
        "metadata, copy) VALUES(?,?,?,?,?,?,?,?,?)");
    st.bind_all(blob.container_id, blob.name, blob.size, blob.etag,
                timefmt::unix_micros(blob.created), timefmt::unix_micros(blob.last_modified),
                content_json(blob.content).dump(), metadata_json(blob.metadata).dump());
    if (blob.copy)
      st.bind(9, copy_json(*blob.copy).dump());
    else
      st.bind(9, nullptr);
    st.run();
    blob.id = db_.last_insert_rowid();
  }
  write_extents(blob.id, blob.extents);
  if (drop_blocks) {
    auto& blk = db_.prepare("SELECT file FROM blocks WHERE container_id=? AND blob_name=?");
    blk.bind_all(blob.container_id, blob.name);
    while (blk.step()) dropped.push_back(blk.column_text(0));
    db_.prepare("DELETE FROM blocks WHERE container_id=? AND blob_name=?")
        .bind_all(blob.container_id, blob.name)
        .run();
  }
  auto gone = unreferenced(dropped);
  tx.commit();
  return gone;
}

void MetaStore::update_blob_properties(const BlobRecord& blob) {
  auto lock = db_.lock();
  db_.prepare("UPDATE blobs SET etag=?, last_modified=?, content=?, metadata=? WHERE id=?")
      .bind_all(blob.etag, timefmt::unix_micros(blob.last_modified),
                content_json(blob.content).dump(), metadata_json(blob.metadata).dump(), blob.id)
      .run();
}

std::vector<std::string> MetaStore::delete_blob(int64_t blob_id) {
  Transaction tx(db_);
  std::vector<std::string> files;
  for (const auto& e : extents(blob_id)) files.push_back(e.file);
  auto& name = db_.prepare("SELECT container_id, name FROM blobs WHERE id=?");
  name.bind_all(blob_id);
  if (name.step()) {
    int64_t container_id = name.column_int(0);
    std::string blob_name = name.column_text(1);
    name.reset();
    auto& blk = db_.prepare("SELECT file FROM blocks WHERE container_id=? AND blob_name=?");
    blk.bind_all(container_id, blob_name);
    while (blk.step()) files.push_back(blk.column_text(0));
    db_.prepare("DELETE FROM blocks WHERE container_id=? AND blob_name=?")
        .bind_all(container_id, blob_name)
        .run();
  }
  db_.prepare("DELETE FROM blobs WHERE id=?").bind_all(blob_id).run();
  auto gone = unreferenced(files);
  tx.commit();
  return gone;
}

void MetaStore::set_copy_state(int64_t blob_id, const CopyState& copy) {
  auto lock = db_.lock();
  db_.prepare("UPDATE blobs SET copy=? WHERE id=?").bind_all(copy_json(copy).dump(), blob_id).run();
}

std::vector<std::string> MetaStore::put_block(int64_t container_id, const std::string& blob_name,
                                              const BlockRecord& block) {
  Transaction tx(db_);
  std::vector<std::string> dropped;
  auto& old =
      db_.prepare("SELECT file FROM blocks WHERE container_id=? AND blob_name=? AND block_id=?");
  old.bind_all(container_id, blob_name, block.block_id);
  if (old.step()) dropped.push_back(old.column_text(0));
  old.reset();
  db_.prepare(
         "INSERT OR REPLACE INTO blocks(container_id, blob_name, block_id, size, file, offset, "
         "staged) VALUES(?,?,?,?,?,?,?)")
      .bind_all(container_id, blob_name, block.block_id, block.size, block.file, block.offset,
                timefmt::unix_micros(timefmt::now()))
      .run();
  auto gone = unreferenced(dropped);
  tx.commit();
  return gone;
}

std::vector<BlockRecord> MetaStore::uncommitted_blocks(int64_t container_id,
                                                       const std::string& blob_name) {
  auto& st = db_.prepare_read(
      "SELECT block_id, size, file, offset FROM blocks WHERE container_id=? AND blob_name=? "
      "ORDER BY rowid");
  st.bind_all(container_id, blob_name);
  std::vector<BlockRecord> out;
  while (st.step())
    out.push_back({st.column_text(0), static_cast<uint64_t>(st.column_int(1)), st.column_text(2),
                   static_cast<uint64_t>(st.column_int(3))});
  return out;
}

std::vector<std::string> MetaStore::drop_uncommitted_blocks(int64_t container_id,
                                                            const std::string& blob_name) {
  Transaction tx(db_);
  std::vector<std::string> files;
  for (const auto& b : uncommitted_blocks(container_id, blob_name)) files.push_back(b.file);
  db_.prepare("DELETE FROM blocks WHERE container_id=? AND blob_name=?")
      .bind_all(container_id, blob_name)
      .run();
  auto gone = unreferenced(files);
  tx.commit();
  return gone;
}

std::vector<MetaStore::PendingCopy> MetaStore::pending_copies() {
  auto& st = db_.prepare_read("SELECT id, copy FROM blobs WHERE copy IS NOT NULL");
  std::vector<PendingCopy> out;
  while (st.step()) {
    CopyState c = copy_from(st.column_text(1));
    if (c.status == "pending") out.push_back({st.column_int(0), c});
  }
  return out;
}

std::vector<std::string> MetaStore::referenced_files() {
  std::vector<std::string> out;
  auto& st = db_.prepare_read("SELECT file FROM extents UNION SELECT file FROM blocks");
  while (st.step()) out.push_back(st.column_text(0));
  return out;
}

std::vector<std::string> MetaStore::unreferenced(const std::vector<std::string>& candidates) {
  std::set<std::string> unique(candidates.begin(), candidates.end());
  std::vector<std::string> out;
  for (const auto& file : unique) {
    auto& st = db_.prepare(
        "SELECT EXISTS(SELECT 1 FROM extents WHERE file=?1) OR EXISTS(SELECT 1 FROM blocks WHERE "
        "file=?1)");
    st.bind(1, file);
    st.step();
    bool used = st.column_int(0) != 0;
    st.reset();
    if (!used) out.push_back(file);
  }
  return out;
}

std::vector<Extent> MetaStore::extents(int64_t blob_id) {
  auto& st = db_.prepare_read(
      "SELECT file, offset, length, block_id FROM extents WHERE blob_id=? ORDER BY seq");
  st.bind_all(blob_id);
  std::vector<Extent> out;
  while (st.step())
    out.push_back({st.column_text(0), static_cast<uint64_t>(st.column_int(1)),
                   static_cast<uint64_t>(st.column_int(2)), st.column_text(3)});
  return out;
}

void MetaStore::write_extents(int64_t blob_id, const std::vector<Extent>& extents) {
  int64_t seq = 0;
  for (const auto& e : extents)
    db_.prepare(
           "INSERT INTO extents(blob_id, seq, file, offset, length, block_id) VALUES(?,?,?,?,?,?)")
        .bind_all(blob_id, seq++, e.file, e.offset, e.length, e.block_id)
        .run();
}

}  // namespace twin::blob
