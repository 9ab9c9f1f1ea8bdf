#include "store/sqlite.h"

#include <sqlite3.h>

#include <mutex>

namespace twin::store {
namespace {
[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw DbError(std::string(what) + ": " + sqlite3_errmsg(db));
}
}  // namespace

Statement& Statement::bind(int index, std::nullptr_t) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK)
    fail(db_, "bind");
  return *this;
}
Statement& Statement::bind_blob(int index, std::string_view bytes) {
  if (sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK)
    fail(db_, "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string message = sqlite3_errmsg(db_);
  sqlite3_reset(stmt_);
  throw DbError("step: " + message);
}

int64_t Statement::column_int(int col) const {
  return sqlite3_column_int64(stmt_, col);
}
double Statement::column_double(int col) const {
  return sqlite3_column_double(stmt_, col);
}
std::string Statement::column_text(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}
bool Statement::column_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Connection::Connection(const std::string& path, bool create) {
  // Memory statistics take a global mutex on every allocation; nothing here reads them.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  int flags = (create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) |
              SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw DbError("cannot open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
}

Connection::~Connection() {
  for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.first);
  sqlite3_close(db_);
}

Statement& Connection::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK)
      fail(db_, "prepare " + std::string(sql));
    auto entry = std::make_pair(stmt, std::make_unique<Statement>(db_, stmt));
    it = cache_.emplace(std::string(sql), std::move(entry)).first;
  }
  it->second.second->reset();
  return *it->second.second;
}

void Connection::exec(std::string_view sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw DbError("exec: " + message);
  }
}

namespace {
std::atomic<uint64_t> g_instances{0};
// Read connections of this thread, by database instance (ids are never reused).
thread_local std::map<uint64_t, std::unique_ptr<Connection>> t_readers;
}  // namespace

Database::Database(const std::string& path)
    : path_(path), instance_(++g_instances), writer_(std::make_unique<Connection>(path, true)) {
  // WAL with synchronous=NORMAL survives a killed process without losing a commit; the blob
  // bytes themselves are fsynced before their row is written.
  writer_->exec("PRAGMA journal_mode=WAL");
  writer_->exec("PRAGMA synchronous=NORMAL");
  writer_->exec("PRAGMA foreign_keys=ON");
}

Database::~Database() {
  t_readers.erase(instance_);
}

Database::WriteLock::WriteLock(Database& db) : db_(db) {
  db_.mutex_.lock();
  if (db_.depth_++ == 0) db_.owner_ = std::this_thread::get_id();
}

Database::WriteLock::~WriteLock() {
  if (--db_.depth_ == 0) db_.owner_ = std::thread::id();
  db_.mutex_.unlock();
}

Statement& Database::prepare(std::string_view sql) {
  return writer_->prepare(sql);
}

Connection& Database::reader() {
  auto& reader = t_readers[instance_];
  if (!reader) reader = std::make_unique<Connection>(path_, false);
  return *reader;
}

Statement& Database::prepare_read(std::string_view sql) {
  if (owner_.load() == std::this_thread::get_id()) return writer_->prepare(sql);
  return reader().prepare(sql);
}

void Database::refresh_read_snapshot() {
  if (owner_.load() == std::this_thread::get_id()) return;
  Connection& r = reader();
  if (r.read_depth == 0) return;
  r.prepare("COMMIT").run();
  r.prepare("BEGIN").run();
}

Database::ReadSnapshot::ReadSnapshot(Database& db) {
  if (db.owner_.load() == std::this_thread::get_id()) return;
  reader_ = &db.reader();
  if (reader_->read_depth++ == 0) reader_->prepare("BEGIN").run();
}

Database::ReadSnapshot::~ReadSnapshot() {
  if (!reader_ || --reader_->read_depth > 0) return;
  try {
    reader_->prepare("COMMIT").run();
  } catch (...) {
  }
}

void Database::exec(std::string_view sql) {
  writer_->exec(sql);
}
int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(writer_->handle());
}
int Database::changes() const {
  return sqlite3_changes(writer_->handle());
}

Transaction::Transaction(Database& db) : db_(db), lock_(db.lock()) {
  db_.exec("SAVEPOINT tx");
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK TO tx");
      db_.exec("RELEASE tx");
    } catch (...) {
    }
  }
}

void Transaction::commit() {
  db_.exec("RELEASE tx");
  done_ = true;
}

}  // namespace twin::store
