#include "jobs/sqlite_job_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "jobs/job.h"
#include "jobs/testing/job_retention_conformance.h"
#include "jobs/testing/job_store_conformance.h"
#include "jobs/testing/store_backend.h"

namespace atg::jobs::testing {
namespace {

INSTANTIATE_TEST_SUITE_P(Sqlite, JobStoreConformance, ::testing::Values(SqliteBackend()),
                         [](const auto& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(Sqlite, JobRetentionConformance, ::testing::Values(SqliteBackend()),
                         [](const auto& info) { return info.param.name; });

TEST(SqliteJobStoreTest, SurvivesReopenAndUsesWal) {
  StoreBackend b = SqliteBackend();
  std::string dir = b.new_namespace();
  std::string id = NewJobId();
  {
    auto s = b.open(dir);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    Job job;
    job.id = id;
    job.type = "scan";
    job.owner = "k";
    ASSERT_TRUE((*s)->Create(job, 0).ok());
  }
  auto s = b.open(dir);
  ASSERT_TRUE(s.ok());
  auto job = (*s)->Get(id);
  ASSERT_TRUE(job.ok());
  ASSERT_TRUE(job->has_value());
  EXPECT_EQ((*job)->state, JobState::kPending);
  EXPECT_TRUE(std::filesystem::exists(dir + "/jobs.db-wal"));
  b.cleanup(dir);
}

TEST(SqliteJobStoreTest, RefusesANewerSchema) {
  StoreBackend b = SqliteBackend();
  std::string dir = b.new_namespace();
  { ASSERT_TRUE(b.open(dir).ok()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir + "/jobs.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto s = b.open(dir);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("schema version 99"), std::string::npos);
  b.cleanup(dir);
}

// Retention must not scan the whole table each hour: its query uses the partial index of
// terminal jobs by finish time, which also exists in files made before retention did.
TEST(SqliteJobStoreTest, PurgeUsesTheFinishedIndex) {
  StoreBackend b = SqliteBackend();
  std::string dir = b.new_namespace();
  const std::string path = dir + "/jobs.db";
  { ASSERT_TRUE(b.open(dir).ok()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  // As a file from before retention: no such index.
  ASSERT_EQ(sqlite3_exec(db, "DROP INDEX jobs_finished", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  { ASSERT_TRUE(b.open(dir).ok()); }
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string plan;
  auto collect = [](void* out, int n, char** values, char**) -> int {
    for (int i = 0; i < n; ++i) {
      if (values[i] != nullptr) *static_cast<std::string*>(out) += std::string(values[i]) + " ";
    }
    return 0;
  };
  ASSERT_EQ(sqlite3_exec(db,
                         "EXPLAIN QUERY PLAN SELECT id, artifact FROM jobs "
                         "WHERE state IN ('completed', 'failed', 'cancelled') AND "
                         "finished_at_ms < 5 ORDER BY finished_at_ms LIMIT 10",
                         collect, &plan, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_NE(plan.find("jobs_finished"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  b.cleanup(dir);
}

TEST(SqliteJobStoreTest, UnwritableDirectoryIsAClearError) {
  auto s = OpenSqliteJobStore("/proc/atg-no-such-dir/jobs.db");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("jobs.db"), std::string::npos) << s.status().message();
}

}  // namespace
}  // namespace atg::jobs::testing
