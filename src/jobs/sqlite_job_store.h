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
};

// Opens (creating the directory, file and schema when missing) `path`, e.g.
// DataDir(settings) + "/jobs.db". Fails when the file belongs to a newer schema version.
Result<std::unique_ptr<JobStore>> OpenSqliteJobStore(const std::string& path,
                                                     const SqliteJobStoreOptions& options = {});

}  // namespace atg::jobs

#endif  // ATG_JOBS_SQLITE_JOB_STORE_H_
