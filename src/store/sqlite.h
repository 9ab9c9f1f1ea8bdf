// A thin RAII layer over SQLite: one connection, prepared statements cached by SQL text,
// transactions, and typed binding. Callers serialise access (see Database::lock()).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <variant>

struct sqlite3;
struct sqlite3_stmt;

namespace twin::store {

class DbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement& bind(int index, std::nullptr_t);
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, uint64_t value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind_blob(int index, std::string_view bytes);
  template <class... Args>
  Statement& bind_all(const Args&... args) {
    int i = 1;
    (bind(i++, args), ...);
    return *this;
  }
  bool step();  // true while a row is available
  void run() {
    while (step()) {
    }
  }
  int64_t column_int(int col) const;
  double column_double(int col) const;
  std::string column_text(int col) const;
  bool column_null(int col) const;
  void reset();

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// One SQLite connection with its cache of prepared statements.
class Connection {
 public:
  Connection(const std::string& path, bool create);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  Statement& prepare(std::string_view sql);
  void exec(std::string_view sql);
  sqlite3* handle() { return db_; }
  int read_depth = 0;  // nesting of ReadSnapshots on this connection

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, std::pair<sqlite3_stmt*, std::unique_ptr<Statement>>, std::less<>> cache_;
};

// The metadata database: one writer connection behind a recursive lock, and one read-only
// connection per thread so that reads never wait for each other or for a writer (WAL).
class Database {
 public:
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // The lock of the writer connection; records the owning thread.
  class WriteLock {
   public:
    explicit WriteLock(Database& db);
    ~WriteLock();
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;

   private:
    Database& db_;
  };
  WriteLock lock() { return WriteLock(*this); }

  // A cached statement on the writer connection (hold lock() or a Transaction). Valid until the
  // next prepare() of the same SQL.
  Statement& prepare(std::string_view sql);
  // A cached statement for reading: the writer connection when this thread holds the write lock
  // (so it sees its own uncommitted changes), else this thread's read connection.
  Statement& prepare_read(std::string_view sql);
  void exec(std::string_view sql);
  int64_t last_insert_rowid() const;
  int changes() const;

  // Inside a ReadSnapshot of this thread: move it to the latest committed state.
  void refresh_read_snapshot();

  // Several reads that must see one state (a blob row and its extents): a read transaction on
  // this thread's read connection, or nothing when the thread already holds the write lock.
  class ReadSnapshot {
   public:
    explicit ReadSnapshot(Database& db);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

   private:
    Connection* reader_ = nullptr;
  };

 private:
  Connection& reader();
  std::string path_;
  uint64_t instance_;
  std::unique_ptr<Connection> writer_;
  std::recursive_mutex mutex_;
  std::atomic<std::thread::id> owner_{};
  int depth_ = 0;
};

// Commits on commit(); rolls back if destroyed first. Holds the database lock throughout and
// nests inside another Transaction.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  void commit();

 private:
  Database& db_;
  Database::WriteLock lock_;
  bool done_ = false;
};

}  // namespace twin::store
