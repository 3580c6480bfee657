#include "graph/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

namespace atg::graph {

SqliteStmt::SqliteStmt(SqliteStmt&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), db_(other.db_) {}

SqliteStmt& SqliteStmt::operator=(SqliteStmt&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    db_ = other.db_;
  }
  return *this;
}

SqliteStmt::~SqliteStmt() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

void SqliteStmt::BindText(int i, std::string_view v) {
  sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
}
void SqliteStmt::BindInt(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
void SqliteStmt::BindNull(int i) { sqlite3_bind_null(stmt_, i); }

Result<bool> SqliteStmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string msg = std::string(sqlite3_errmsg(db_));
  const char* file = sqlite3_db_filename(db_, "main");
  std::string where = file != nullptr ? file : "graph database";
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    return Status::Unavailable(where + ": database is busy (" + msg + "); retry later");
  }
  if (rc == SQLITE_FULL || rc == SQLITE_IOERR) {
    return Status::IoError(where + ": " + msg + "; check free disk space and permissions");
  }
  return Status::Internal(where + ": " + msg);
}

Status SqliteStmt::Run() {
  while (true) {
    auto r = Step();
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
  }
}

void SqliteStmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string_view SqliteStmt::ColumnText(int i) const {
  const unsigned char* p = sqlite3_column_text(stmt_, i);
  if (p == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(p),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
}
int64_t SqliteStmt::ColumnInt(int i) const { return sqlite3_column_int64(stmt_, i); }
bool SqliteStmt::ColumnIsNull(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, Mode mode) {
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case Mode::kReadOnly:
      flags |= SQLITE_OPEN_READONLY;
      break;
    case Mode::kReadWrite:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case Mode::kReadWriteCreate:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (db != nullptr) sqlite3_close(db);
    if (rc == SQLITE_CANTOPEN) {
      return Status::NotFound("cannot open graph database " + path + ": " + msg);
    }
    return Status::IoError("cannot open graph database " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db, 0);
  return std::unique_ptr<SqliteDb>(new SqliteDb(db, path));
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

Status SqliteDb::Error(std::string_view what) const {
  int rc = sqlite3_errcode(db_);
  std::string msg = path_ + ": " + std::string(what) + ": " + sqlite3_errmsg(db_);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    return Status::Unavailable(msg + "; another process holds the database, retry later");
  }
  if (rc == SQLITE_FULL || rc == SQLITE_IOERR || rc == SQLITE_READONLY) {
    return Status::IoError(msg + "; check free disk space and permissions");
  }
  return Status::Internal(msg);
}

Status SqliteDb::Exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (err != nullptr) sqlite3_free(err);
  if (rc != SQLITE_OK) return Error("executing '" + s.substr(0, 80) + "'");
  return Status::Ok();
}

Result<SqliteStmt> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return Error("preparing '" + std::string(sql.substr(0, 80)) + "'");
  return SqliteStmt(stmt, db_);
}

int64_t SqliteDb::Changes() const { return sqlite3_changes64(db_); }

}  // namespace atg::graph
