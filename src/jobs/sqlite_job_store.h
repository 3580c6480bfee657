// The embedded JobStore: one SQLite file (WAL) shared by every thread and every process of one
// host that opens it. Each operation is one BEGIN IMMEDIATE transaction, so two processes never
// claim the same job; busy_timeout makes them wait for each other instead of failing.
//
// Thread-safety: all methods may be called from any thread (one connection per store, guarded
// by a mutex). Open one store per process; after fork(), the child must open its own.
#ifndef ATG_JOBS_SQLITE_JOB_STORE_H_
#define ATG_JOBS_SQLITE_JOB_STORE_H_

#include <chrono>
#include <memory>
#include <string>

#include "common/status.h"
#include "jobs/job_store.h"

namespace atg::jobs {

struct SqliteJobStoreOptions {
  // How long an operation waits for another process's transaction before it fails with
  // kUnavailable.
  std::chrono::milliseconds busy_timeout{10000};
  // ATG_JOB_DB_START_FRESH: when the database is damaged (see OpenSqliteJobStore), move it
  // aside and start with an empty one instead of refusing to open it.
  bool start_fresh = false;
};

// Opens (creating the directory, file and schema when missing) `path`, e.g.
// DataDir(settings) + "/jobs.db". Fails when the file belongs to a newer schema version.
//
// A destroyed database is told from a new one: creating a database writes its schema into the
// file and then a marker beside it (JobDatabaseMarker). At every open, a marked database that is
// missing or empty, any file that is not a SQLite database, and a database that fails SQLite's
// `PRAGMA quick_check` are damaged: kFailedPrecondition, with a message saying what was found
// and how to restore from a backup or start fresh, and nothing is changed on disk. With
// options.start_fresh the damaged files are renamed to <path>.damaged-<UTC time> (-wal, -shm)
// and a new database is created.
Result<std::unique_ptr<JobStore>> OpenSqliteJobStore(const std::string& path,
                                                     const SqliteJobStoreOptions& options = {});

// The marker file that says a job database was created at `path`: path + ".created".
std::string JobDatabaseMarker(const std::string& path);

}  // namespace atg::jobs

#endif  // ATG_JOBS_SQLITE_JOB_STORE_H_
