// Job retention (JobStore::PurgeFinishedBefore) as every backend must implement it, as one
// value-parameterised suite. A test binary includes this header once and instantiates it:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, JobRetentionConformance,
//                            ::testing::Values(atg::jobs::testing::SqliteBackend()));
#ifndef ATG_JOBS_TESTING_JOB_RETENTION_CONFORMANCE_H_
#define ATG_JOBS_TESTING_JOB_RETENTION_CONFORMANCE_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job.h"
#include "jobs/job_store.h"
#include "jobs/testing/store_backend.h"

namespace atg::jobs::testing {

class JobRetentionConformance : public ::testing::TestWithParam<StoreBackend> {
 protected:
  static constexpr int64_t kFarFuture = int64_t{1} << 62;

  void SetUp() override {
    GetParam().require();
    if (IsSkipped() || HasFatalFailure()) return;
    ns_ = GetParam().new_namespace();
    ASSERT_FALSE(ns_.empty());
    store_ = Open();
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    if (!ns_.empty()) GetParam().cleanup(ns_);
  }

  std::unique_ptr<JobStore> Open() {
    auto s = GetParam().open(ns_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s.value()) : nullptr;
  }

  // A pending job; created_at_ms grows with every call so listing order is deterministic.
  std::string Submit(const std::string& owner = "key-a") {
    Job job;
    job.id = NewJobId();
    job.type = "generate-iac";
    job.owner = owner;
    job.tenant_id = "tenant-1";
    job.created_at_ms = 1'700'000'000'000 + (++clock_);
    Status s = store_->Create(job, 0);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return job.id;
  }

  // Claims the next pending job (the caller made sure it is `id`) and marks it running.
  void Run(const std::string& id) {
    auto j = store_->ClaimNext("w1", std::chrono::milliseconds(60000));
    ASSERT_TRUE(j.ok()) << j.status().ToString();
    ASSERT_TRUE(j->has_value());
    ASSERT_EQ((*j)->id, id);
  }

  // A new job taken through to `state` (completed, failed, or cancelled while pending), with
  // `artifact` recorded when completed. The queue must be empty of other pending jobs.
  std::string Finished(JobState state, const std::string& artifact = "",
                       const std::string& owner = "key-a") {
    std::string id = Submit(owner);
    if (state == JobState::kCancelled) {
      EXPECT_TRUE(store_->RequestCancel(id).ok());
      return id;
    }
    Run(id);
    Status s = store_->Finish(id, "w1", state, json::object{{"ok", true}}, artifact,
                              state == JobState::kFailed ? "boom" : "",
                              state == JobState::kFailed ? "internal" : "");
    EXPECT_TRUE(s.ok()) << s.ToString();
    return id;
  }

  bool Exists(const std::string& id) {
    auto j = store_->Get(id);
    EXPECT_TRUE(j.ok()) << j.status().ToString();
    return j.ok() && j->has_value();
  }

  int64_t FinishedAt(const std::string& id) {
    auto j = store_->Get(id);
    EXPECT_TRUE(j.ok() && j->has_value());
    return j.ok() && j->has_value() ? (*j)->finished_at_ms : 0;
  }

  // Every id `owner` can list, following the cursor with pages of `page_size`.
  std::vector<std::string> ListAll(const std::string& owner, int page_size) {
    std::vector<std::string> ids;
    ListQuery q;
    q.owner = owner;
    q.limit = page_size;
    for (int pages = 0; pages < 100; ++pages) {
      auto page = store_->List(q);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      for (const Job& j : page->jobs) ids.push_back(j.id);
      if (page->next_cursor.empty()) break;
      q.cursor = page->next_cursor;
    }
    return ids;
  }

  PurgeBatch Purge(int64_t cutoff_ms, int64_t limit, JobStore* store = nullptr) {
    auto b = (store ? store : store_.get())->PurgeFinishedBefore(cutoff_ms, limit);
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    return b.ok() ? *b : PurgeBatch{};
  }

  // Waits until the store's clock (the host's, or the Redis server's) has moved past `ms`.
  static void SleepPast(int64_t ms) {
    while (NowMs() <= ms + 1) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }

  std::string ns_;
  std::unique_ptr<JobStore> store_;
  int64_t clock_ = 0;
};

TEST_P(JobRetentionConformance, RemovesOldTerminalJobsWithTheirEventsAndKeepsTheRest) {
  const std::string art = "art_" + std::string(32, 'a');
  // Running first (so later claims take the other jobs), while it is the only pending job.
  const std::string running = Submit();
  Run(running);
  const std::string completed = Finished(JobState::kCompleted, art);
  const std::string failed = Finished(JobState::kFailed);
  const std::string cancelled = Finished(JobState::kCancelled);
  SleepPast(std::max({FinishedAt(completed), FinishedAt(failed), FinishedAt(cancelled)}));
  const std::string recent = Finished(JobState::kCompleted);
  const std::string pending = Submit();
  ASSERT_FALSE(store_->EventsSince(completed, 0, 100)->empty());
  const int64_t depth = *store_->QueueDepth();

  // Strictly before the cutoff: `recent` finished exactly at it and stays.
  PurgeBatch b = Purge(FinishedAt(recent), 100);
  EXPECT_EQ(b.purged, 3);
  EXPECT_FALSE(b.more);
  EXPECT_EQ(b.artifacts, std::vector<std::string>{art});
  for (const std::string& id : {completed, failed, cancelled}) {
    EXPECT_FALSE(Exists(id)) << id;
    auto events = store_->EventsSince(id, 0, 100);
    ASSERT_TRUE(events.ok());
    EXPECT_TRUE(events->empty()) << "events of " << id << " outlived their job";
  }
  for (const std::string& id : {recent, pending, running}) EXPECT_TRUE(Exists(id)) << id;
  EXPECT_FALSE(store_->EventsSince(recent, 0, 100)->empty());
  EXPECT_EQ(*store_->QueueDepth(), depth);

  // However far the cutoff, pending and running jobs stay (a running job never has a finish
  // time; a pending one may be years old in a stuck queue).
  b = Purge(kFarFuture, 100);
  EXPECT_EQ(b.purged, 1);
  EXPECT_TRUE(b.artifacts.empty());
  EXPECT_FALSE(Exists(recent));
  Job p = *store_->Get(pending).value();
  EXPECT_EQ(p.state, JobState::kPending);
  Job r = *store_->Get(running).value();
  EXPECT_EQ(r.state, JobState::kRunning);
  EXPECT_EQ(*store_->QueueDepth(), depth);
  // The queue still works: the pending job is claimed, the running one finishes.
  auto next = store_->ClaimNext("w2", std::chrono::milliseconds(60000));
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->id, pending);
  EXPECT_TRUE(store_->Finish(running, "w1", JobState::kCompleted, {}, "", "", "").ok());
}

TEST_P(JobRetentionConformance, BatchLimitIsRespectedAndPurgingAgainIsANoOp) {
  std::set<std::string> artifacts;
  for (int i = 0; i < 7; ++i) {
    std::string art = "art_" + NewJobId().substr(4);
    artifacts.insert(art);
    Finished(JobState::kCompleted, art);
  }
  std::set<std::string> reported;
  std::vector<int64_t> sizes;
  for (int i = 0; i < 10; ++i) {
    PurgeBatch b = Purge(kFarFuture, 3);
    sizes.push_back(b.purged);
    reported.insert(b.artifacts.begin(), b.artifacts.end());
    EXPECT_LE(b.purged, 3);
    if (!b.more) break;
  }
  EXPECT_EQ(sizes, (std::vector<int64_t>{3, 3, 1}));
  EXPECT_EQ(reported, artifacts);
  PurgeBatch again = Purge(kFarFuture, 3);
  EXPECT_EQ(again.purged, 0);
  EXPECT_FALSE(again.more);
  EXPECT_TRUE(again.artifacts.empty());
  EXPECT_EQ(store_->PurgeFinishedBefore(kFarFuture, 0).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(JobRetentionConformance, ListAndCursorsStayConsistentAfterPurge) {
  // key-a: finished and pending jobs interleaved by creation time (the finished ones are made
  // first, so that each claim takes its own job); key-b: one finished job.
  std::vector<std::string> purged;
  std::vector<std::string> kept;
  for (int i = 0; i < 10; i += 2) {
    clock_ = 100 * i;
    purged.push_back(Finished(JobState::kCompleted));
  }
  Finished(JobState::kFailed, "", "key-b");
  for (int i = 1; i < 10; i += 2) {
    clock_ = 100 * i;
    kept.push_back(Submit());
  }
  std::reverse(kept.begin(), kept.end());  // List is newest first

  // A cursor taken before the purge, pointing at a job the purge removes, still pages on.
  ListQuery q;
  q.owner = "key-a";
  q.limit = 2;
  auto first = store_->List(q);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->jobs.size(), 2u);
  EXPECT_EQ(first->jobs[1].id, purged.back());  // the cursor's position is a purged job
  ASSERT_FALSE(first->next_cursor.empty());

  std::vector<std::string> before = ListAll("key-a", 2);
  EXPECT_EQ(before.size(), 10u);
  PurgeBatch b = Purge(kFarFuture, 100);
  EXPECT_EQ(b.purged, static_cast<int64_t>(purged.size()) + 1);
  EXPECT_EQ(ListAll("key-a", 2), kept);
  EXPECT_EQ(ListAll("key-a", 100), kept);
  EXPECT_TRUE(ListAll("key-b", 2).empty());
  ListQuery completed;
  completed.owner = "key-a";
  completed.state = JobState::kCompleted;
  EXPECT_TRUE(store_->List(completed)->jobs.empty());

  q.cursor = first->next_cursor;
  auto rest = store_->List(q);
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  ASSERT_EQ(rest->jobs.size(), 2u);
  EXPECT_EQ(rest->jobs[0].id, kept[1]);
  EXPECT_EQ(rest->jobs[1].id, kept[2]);
}

TEST_P(JobRetentionConformance, ConcurrentPurgesRemoveAndCountEachJobOnce) {
  constexpr int kJobs = 120;
  std::set<std::string> artifacts;
  for (int i = 0; i < kJobs; ++i) {
    std::string art = "art_" + NewJobId().substr(4);
    artifacts.insert(art);
    Finished(i % 3 == 2 ? JobState::kFailed : JobState::kCompleted, art);
  }
  const std::string pending = Submit();
  std::unique_ptr<JobStore> other = Open();
  ASSERT_NE(other, nullptr);
  std::mutex mu;
  std::vector<std::string> reported;
  std::atomic<int64_t> total{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    JobStore* s = t % 2 == 0 ? store_.get() : other.get();
    threads.emplace_back([&, s] {
      while (true) {
        auto b = s->PurgeFinishedBefore(kFarFuture, 7);
        if (!b.ok()) {
          ++errors;
          return;
        }
        total += b->purged;
        {
          std::lock_guard lock(mu);
          reported.insert(reported.end(), b->artifacts.begin(), b->artifacts.end());
        }
        if (!b->more) return;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(total.load(), kJobs);
  EXPECT_EQ(reported.size(), artifacts.size()) << "an artifact was reported twice or lost";
  EXPECT_EQ(std::set<std::string>(reported.begin(), reported.end()), artifacts);
  EXPECT_TRUE(Exists(pending));
  EXPECT_EQ(ListAll("key-a", 200), std::vector<std::string>{pending});
}

}  // namespace atg::jobs::testing

#endif  // ATG_JOBS_TESTING_JOB_RETENTION_CONFORMANCE_H_
