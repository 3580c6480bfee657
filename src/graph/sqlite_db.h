// Thin RAII wrappers over the SQLite C API used by the graph store: errors become Status values
// that name the database file and SQLite's reason.
//
// Thread-safety: a SqliteDb (and its statements) is used by one thread at a time.
#ifndef ATG_GRAPH_SQLITE_DB_H_
#define ATG_GRAPH_SQLITE_DB_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace atg::graph {

class SqliteStmt {
 public:
  SqliteStmt() = default;
  SqliteStmt(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  SqliteStmt(SqliteStmt&& other) noexcept;
  SqliteStmt& operator=(SqliteStmt&& other) noexcept;
  ~SqliteStmt();

  // Parameters are 1-based. Text is copied by SQLite only when the statement outlives it; the
  // caller keeps `v` alive until Step/Reset.
  void BindText(int i, std::string_view v);
  void BindInt(int i, int64_t v);
  void BindNull(int i);
  // True when a row is available, false when done.
  Result<bool> Step();
  // Steps to completion (for statements without rows).
  Status Run();
  void Reset();  // also clears bindings

  std::string_view ColumnText(int i) const;
  int64_t ColumnInt(int i) const;
  bool ColumnIsNull(int i) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
};

class SqliteDb {
 public:
  enum class Mode { kReadOnly, kReadWrite, kReadWriteCreate };
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, Mode mode);
  ~SqliteDb();

  Status Exec(std::string_view sql);
  Result<SqliteStmt> Prepare(std::string_view sql);
  int64_t Changes() const;
  sqlite3* handle() { return db_; }
  const std::string& path() const { return path_; }
  // "<path>: <sqlite message>" for the last error.
  Status Error(std::string_view what) const;

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

}  // namespace atg::graph

#endif  // ATG_GRAPH_SQLITE_DB_H_
