#include "jobs/sqlite_job_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

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

// A database that existed and was destroyed is not mistaken for a new one.
class DamagedJobDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = b_.new_namespace();
    path_ = dir_ + "/jobs.db";
    auto s = OpenSqliteJobStore(path_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    Job job;
    job.id = NewJobId();
    job.type = "scan";
    job.owner = "k";
    ASSERT_TRUE((*s)->Create(job, 0).ok());
    // Even while open, the file already holds the schema, and the marker exists.
    EXPECT_GT(std::filesystem::file_size(path_), 0u);
    EXPECT_TRUE(std::filesystem::exists(JobDatabaseMarker(path_)));
  }
  void TearDown() override { b_.cleanup(dir_); }

  void ExpectRefused(const std::string& what) {
    auto s = OpenSqliteJobStore(path_);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
    const std::string& m = s.status().message();
    EXPECT_NE(m.find("is damaged: " + what), std::string::npos) << m;
    EXPECT_NE(m.find("backup"), std::string::npos) << m;
    EXPECT_NE(m.find("ATG_JOB_DB_START_FRESH"), std::string::npos) << m;
  }

  StoreBackend b_ = SqliteBackend();
  std::string dir_;
  std::string path_;
};

TEST_F(DamagedJobDatabaseTest, TruncatedToNothing) {
  std::filesystem::resize_file(path_, 0);
  std::filesystem::remove(path_ + "-wal");
  ExpectRefused("the file is empty");
  EXPECT_EQ(std::filesystem::file_size(path_), 0u);  // nothing changed on disk
}

TEST_F(DamagedJobDatabaseTest, Missing) {
  std::filesystem::remove(path_);
  std::filesystem::remove(path_ + "-wal");
  std::filesystem::remove(path_ + "-shm");
  ExpectRefused("the file is missing");
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(DamagedJobDatabaseTest, NotADatabase) {
  std::ofstream(path_, std::ios::trunc | std::ios::binary) << std::string(4096, '\x7f');
  ExpectRefused("the file is not a SQLite database");
}

TEST_F(DamagedJobDatabaseTest, DamagedPagesFailQuickCheck) {
  // Fill the database so that it has several pages, then overwrite the middle ones; the header
  // stays valid.
  {
    auto s = OpenSqliteJobStore(path_);
    ASSERT_TRUE(s.ok());
    for (int i = 0; i < 300; ++i) {
      Job job;
      job.id = NewJobId();
      job.type = "scan";
      job.owner = "k";
      job.request = json::object{{"pad", std::string(200, 'p')}};
      ASSERT_TRUE((*s)->Create(job, 0).ok());
    }
  }
  const auto size = std::filesystem::file_size(path_);
  ASSERT_GT(size, 8 * 4096u);
  {
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(2 * 4096);
    const std::string junk(4 * 4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto s = OpenSqliteJobStore(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition) << s.status().ToString();
  EXPECT_NE(s.status().message().find("is damaged"), std::string::npos) << s.status().message();
}

TEST_F(DamagedJobDatabaseTest, StartFreshKeepsTheDamagedFilesAside) {
  std::filesystem::resize_file(path_, 0);
  SqliteJobStoreOptions o;
  o.start_fresh = true;
  auto s = OpenSqliteJobStore(path_, o);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(*(*s)->QueueDepth(), 0);
  int kept = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    if (e.path().filename().string().starts_with("jobs.db.damaged-")) ++kept;
  }
  EXPECT_GE(kept, 1);
  s->reset();
  // The new database is sound: the next start needs no flag.
  EXPECT_TRUE(OpenSqliteJobStore(path_).ok());
}

TEST(SqliteJobStoreTest, ADatabaseFromBeforeTheMarkerIsAdopted) {
  StoreBackend b = SqliteBackend();
  std::string dir = b.new_namespace();
  const std::string path = dir + "/jobs.db";
  { ASSERT_TRUE(OpenSqliteJobStore(path).ok()); }
  std::filesystem::remove(JobDatabaseMarker(path));  // as written by an older atg
  ASSERT_TRUE(OpenSqliteJobStore(path).ok());
  EXPECT_TRUE(std::filesystem::exists(JobDatabaseMarker(path)));
  b.cleanup(dir);
}

}  // namespace
}  // namespace atg::jobs::testing
