#include "jobs/job_retention.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "jobs/job.h"
#include "jobs/sqlite_job_store.h"

namespace atg::jobs {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr int64_t kDayMs = int64_t{24} * 3600 * 1000;

TEST(JobRetentionSettingTest, DefaultZeroAndErrorsNameTheVariable) {
  EXPECT_EQ(JobRetention(Settings::FromMaps({}, {})).value(), milliseconds(30 * kDayMs));
  EXPECT_EQ(JobRetention(Settings::FromMaps({{"ATG_JOB_RETENTION_DAYS", "0"}}, {})).value(),
            milliseconds(0));
  EXPECT_EQ(JobRetention(Settings::FromMaps({{"ATG_JOB_RETENTION_DAYS", "2"}}, {})).value(),
            milliseconds(2 * kDayMs));
  for (const char* bad : {"-1", "abc", "1.5", "999999"}) {
    auto r = JobRetention(Settings::FromMaps({{"ATG_JOB_RETENTION_DAYS", bad}}, {}));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("ATG_JOB_RETENTION_DAYS"), std::string::npos)
        << r.status().message();
  }
}

class JobRetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("atg-retention-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    auto s = OpenSqliteJobStore((root_ / "jobs.db").string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    auto a = OpenFilesystemArtifactStore((root_ / "artifacts").string());
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    artifacts_ = std::move(*a);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(root_);
  }

  // A stored artifact's id.
  std::string PutArtifact() {
    const std::string src = (root_ / "out.tar.gz").string();
    std::ofstream(src) << "archive";
    auto a = artifacts_->Put("job_x", src);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? a->id : "";
  }

  // A job taken through to completed (with `artifact`), or left pending.
  std::string AddJob(bool finish, const std::string& artifact = "") {
    Job job;
    job.id = NewJobId();
    job.type = "generate-iac";
    job.owner = "key-a";
    EXPECT_TRUE(store_->Create(job, 0).ok());
    if (!finish) return job.id;
    auto claimed = store_->ClaimNext("w", milliseconds(60000));
    EXPECT_TRUE(claimed.ok() && claimed->has_value() && (*claimed)->id == job.id);
    EXPECT_TRUE(store_->Finish(job.id, "w", JobState::kCompleted, {}, artifact, "", "").ok());
    return job.id;
  }

  bool Exists(const std::string& id) { return store_->Get(id).value().has_value(); }

  fs::path root_;
  std::unique_ptr<JobStore> store_;
  std::unique_ptr<ArtifactStore> artifacts_;
};

TEST_F(JobRetentionTest, PurgeDeletesTheArtifactsOfPurgedJobsAcrossBatches) {
  std::vector<std::string> jobs, arts;
  for (int i = 0; i < 5; ++i) {
    arts.push_back(PutArtifact());
    jobs.push_back(AddJob(true, arts.back()));
  }
  // One artifact expired already (the TTL sweep got it first): not an error.
  ASSERT_TRUE(artifacts_->Delete(arts[2]).ok());
  const std::string other_art = PutArtifact();  // belongs to a job that stays
  const std::string pending = AddJob(false);

  auto n = PurgeFinishedJobs(store_.get(), artifacts_.get(), NowMs() + 1000, /*batch_size=*/2);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 5);
  for (const auto& id : jobs) EXPECT_FALSE(Exists(id));
  for (const auto& a : arts) {
    EXPECT_EQ(artifacts_->Stat(a).status().code(), StatusCode::kNotFound) << a;
  }
  EXPECT_TRUE(artifacts_->Stat(other_art).ok());
  EXPECT_TRUE(Exists(pending));
  EXPECT_EQ(*PurgeFinishedJobs(store_.get(), artifacts_.get(), NowMs() + 1000), 0);
}

TEST_F(JobRetentionTest, CutoffKeepsRecentJobsAndStopEndsARunBetweenBatches) {
  const std::string job = AddJob(true);
  // A cutoff before the finish keeps the job.
  EXPECT_EQ(*PurgeFinishedJobs(store_.get(), nullptr, NowMs() - kDayMs), 0);
  EXPECT_TRUE(Exists(job));
  std::stop_source stopped;
  stopped.request_stop();
  EXPECT_EQ(*PurgeFinishedJobs(store_.get(), nullptr, NowMs() + 1000, 2, stopped.get_token()), 0);
  EXPECT_TRUE(Exists(job));
}

TEST_F(JobRetentionTest, PurgerRunsAtOnceUsesItsClockAndStopsPromptly) {
  const std::string old_job = AddJob(true, PutArtifact());
  const std::string pending = AddJob(false);
  FakeClock clock(std::chrono::system_clock::now());
  std::atomic<int64_t> reported{0};
  std::atomic<int> calls{0};
  JobPurgerOptions o;
  o.retention = milliseconds(30 * kDayMs);
  o.interval = milliseconds(20);
  o.clock = &clock;
  o.on_purged = [&](int64_t n) {
    reported += n;
    ++calls;
  };
  {
    JobPurger purger(store_.get(), artifacts_.get(), o);
    // Within the retention: runs (at once, then every 20 ms) but removes nothing.
    for (int i = 0; i < 500 && purger.runs() < 2; ++i) std::this_thread::sleep_for(milliseconds(5));
    ASSERT_GE(purger.runs(), 2);
    EXPECT_TRUE(Exists(old_job));
    // 31 days later by the purger's clock, the finished job goes; the pending one stays.
    clock.Advance(milliseconds(31 * kDayMs));
    for (int i = 0; i < 500 && Exists(old_job); ++i) std::this_thread::sleep_for(milliseconds(5));
    EXPECT_FALSE(Exists(old_job));
    EXPECT_TRUE(Exists(pending));
    for (int i = 0; i < 500 && purger.purged() < 1; ++i) {
      std::this_thread::sleep_for(milliseconds(5));
    }
    EXPECT_EQ(purger.purged(), 1);
  }
  EXPECT_EQ(reported.load(), 1);
  EXPECT_GE(calls.load(), 2);

  // An hourly purger is stopped at once by its destruction, not after the hour.
  o.interval = std::chrono::hours(1);
  auto start = std::chrono::steady_clock::now();
  {
    JobPurger purger(store_.get(), artifacts_.get(), o);
    for (int i = 0; i < 500 && purger.runs() < 1; ++i) std::this_thread::sleep_for(milliseconds(5));
    EXPECT_EQ(purger.runs(), 1);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace atg::jobs
