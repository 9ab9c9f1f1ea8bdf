// A thin RAII layer over SQLite: one connection, prepared statements cached by SQL text,
// transactions, and typed binding. Callers serialise access (see Database::lock()).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
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

class Database {
 public:
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // A cached statement, reset and ready to bind. Valid until the next prepare() of the same SQL.
  Statement& prepare(std::string_view sql);
  void exec(std::string_view sql);
  int64_t last_insert_rowid() const;
  int changes() const;
  std::unique_lock<std::recursive_mutex> lock() { return std::unique_lock(mutex_); }

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, std::pair<sqlite3_stmt*, std::unique_ptr<Statement>>, std::less<>> cache_;
  std::recursive_mutex mutex_;
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
  std::unique_lock<std::recursive_mutex> lock_;
  bool done_ = false;
};

}  // namespace twin::store
