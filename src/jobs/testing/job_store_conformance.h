// The behaviour every JobStore backend must show, as one value-parameterised suite. A test
// binary includes this header once and instantiates it for its backends:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, JobStoreConformance,
//                            ::testing::Values(atg::jobs::testing::SqliteBackend()));
#ifndef ATG_JOBS_TESTING_JOB_STORE_CONFORMANCE_H_
#define ATG_JOBS_TESTING_JOB_STORE_CONFORMANCE_H_

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job.h"
#include "jobs/job_store.h"
#include "jobs/testing/store_backend.h"

namespace atg::jobs::testing {

using std::chrono::milliseconds;

class JobStoreConformance : public ::testing::TestWithParam<StoreBackend> {
 protected:
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

  // Creates a pending job and returns its id; created_at_ms grows with every call so FIFO and
  // listing order are deterministic.
  std::string Submit(const std::string& owner = "key-a", const std::string& type = "scan",
                     JobStore* store = nullptr) {
    Job job;
    job.id = NewJobId();
    job.type = type;
    job.owner = owner;
    job.tenant_id = "tenant-1";
    job.request = json::object{{"resource_limit", 5}};
    job.created_at_ms = 1'700'000'000'000 + (++clock_);
    Status s = (store ? store : store_.get())->Create(job, 0);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return job.id;
  }

  Job MustGet(const std::string& id) {
    auto j = store_->Get(id);
    EXPECT_TRUE(j.ok()) << j.status().ToString();
    if (!j.ok() || !j->has_value()) {
      ADD_FAILURE() << "job " << id << " not found";
      return Job();
    }
    return std::move(**j);
  }

  std::optional<Job> Claim(const std::string& worker, milliseconds lease = milliseconds(30000),
                           JobStore* store = nullptr) {
    auto j = (store ? store : store_.get())->ClaimNext(worker, lease);
    EXPECT_TRUE(j.ok()) << j.status().ToString();
    return j.ok() ? *j : std::nullopt;
  }

  Status Complete(const std::string& id, const std::string& worker) {
    return store_->Finish(id, worker, JobState::kCompleted, json::object{{"resources", 3}}, "", "",
                          "");
  }

  std::string ns_;
  std::unique_ptr<JobStore> store_;
  int64_t clock_ = 0;
};

TEST_P(JobStoreConformance, CreateAndGetRoundTrip) {
  EXPECT_EQ(store_->backend(), GetParam().name);
  std::string id = Submit();
  Job job = MustGet(id);
  EXPECT_EQ(job.id, id);
  EXPECT_EQ(job.type, "scan");
  EXPECT_EQ(job.owner, "key-a");
  EXPECT_EQ(job.tenant_id, "tenant-1");
  EXPECT_EQ(job.state, JobState::kPending);
  EXPECT_EQ(json::serialize(job.request), R"({"resource_limit":5})");
  EXPECT_EQ(job.attempts, 0);
  EXPECT_EQ(job.started_at_ms, 0);
  EXPECT_FALSE(job.cancel_requested);

  Job dup;
  dup.id = id;
  dup.type = "scan";
  dup.owner = "key-a";
  EXPECT_EQ(store_->Create(dup, 0).code(), StatusCode::kAlreadyExists);

  auto missing = store_->Get(NewJobId());
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto bad = store_->Get("job_../../etc");
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(bad->has_value());
  EXPECT_TRUE(store_->Ping().ok());
}

TEST_P(JobStoreConformance, ClaimsInFifoOrder) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(Submit());
  for (int i = 0; i < 5; ++i) {
    auto j = Claim("w1");
    ASSERT_TRUE(j.has_value());
    EXPECT_EQ(j->id, ids[i]) << "position " << i;
    EXPECT_EQ(j->state, JobState::kRunning);
    EXPECT_EQ(j->attempts, 1);
    EXPECT_GT(j->started_at_ms, 0);
  }
  EXPECT_FALSE(Claim("w1").has_value());
}

TEST_P(JobStoreConformance, QueueDepthLimit) {
  Submit();
  Submit();
  auto depth = store_->QueueDepth();
  ASSERT_TRUE(depth.ok());
  EXPECT_EQ(*depth, 2);
  Job job;
  job.id = NewJobId();
  job.type = "scan";
  job.owner = "key-a";
  Status s = store_->Create(job, 2);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  EXPECT_NE(s.message().find("ATG_MAX_QUEUE_DEPTH"), std::string::npos) << s.message();
  // A running job does not count towards the depth.
  ASSERT_TRUE(Claim("w1").has_value());
  EXPECT_TRUE(store_->Create(job, 2).ok());
  EXPECT_EQ(*store_->QueueDepth(), 2);
}

TEST_P(JobStoreConformance, EachOwnerHasItsShareOfTheQueue) {
  Job job;
  job.type = "scan";
  job.owner = "flood";
  // The flooding owner fills its share...
  for (int i = 0; i < 3; ++i) {
    job.id = NewJobId();
    ASSERT_TRUE(store_->Create(job, QueueLimits(10, 3)).ok());
  }
  job.id = NewJobId();
  Status s = store_->Create(job, QueueLimits(10, 3));
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  EXPECT_NE(s.message().find("ATG_MAX_QUEUE_DEPTH_PER_KEY"), std::string::npos) << s.message();
  // ... and another owner still gets in.
  Job other = job;
  other.id = NewJobId();
  other.owner = "quiet";
  EXPECT_TRUE(store_->Create(other, QueueLimits(10, 3)).ok());
  EXPECT_EQ(*store_->QueueDepth(), 4);
  // A claimed job frees a place in its owner's share.
  ASSERT_TRUE(Claim("w1").has_value());
  ASSERT_TRUE(Claim("w1").has_value());
  EXPECT_TRUE(store_->Create(job, QueueLimits(10, 3)).ok());
}

TEST_P(JobStoreConformance, ClaimsAreFairAcrossOwners) {
  // One owner floods the queue first; two others arrive later with one job each.
  std::vector<std::string> flood;
  for (int i = 0; i < 6; ++i) flood.push_back(Submit("flood"));
  std::string b1 = Submit("key-b");
  std::string b2 = Submit("key-b");
  std::string c1 = Submit("key-c");
  // With every job still running, each claim goes to the owner with the fewest running jobs:
  // the newcomers are served before the flood's second job.
  std::vector<std::string> order;
  for (int i = 0; i < 5; ++i) {
    auto j = Claim("w");
    ASSERT_TRUE(j.has_value());
    order.push_back(j->owner);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"flood", "key-b", "key-c", "flood", "key-b"}));
  // Within one owner the order stays first in, first out.
  auto next = Claim("w");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->id, flood[2]);
}

TEST_P(JobStoreConformance, ASingleWorkerTakesTurnsBetweenOwners) {
  for (int i = 0; i < 4; ++i) Submit("flood");
  Submit("key-b");
  Submit("key-b");
  // One worker, each job finished before the next claim: the owners alternate.
  std::vector<std::string> order;
  for (int i = 0; i < 6; ++i) {
    auto j = Claim("w");
    ASSERT_TRUE(j.has_value());
    order.push_back(j->owner);
    ASSERT_TRUE(Complete(j->id, "w").ok());
  }
  EXPECT_EQ(order,
            (std::vector<std::string>{"flood", "key-b", "flood", "key-b", "flood", "flood"}));
}

TEST_P(JobStoreConformance, ExpiredLeaseIsClaimedAgainFirst) {
  std::string a = Submit();
  std::string b = Submit();
  auto first = Claim("w1", milliseconds(100));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->id, a);
  std::this_thread::sleep_for(milliseconds(250));
  // The expired job goes to the front, ahead of b which was never claimed.
  auto again = Claim("w2");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->id, a);
  EXPECT_EQ(again->attempts, 2);
  // The first worker has lost it for good.
  EXPECT_EQ(store_->Heartbeat(a, "w1", milliseconds(30000)).code(), StatusCode::kAborted);
  EXPECT_EQ(Complete(a, "w1").code(), StatusCode::kAborted);
  EXPECT_EQ(store_->PublishProgress(a, "w1", json::object{{"percent", 5}}).code(),
            StatusCode::kAborted);
  EXPECT_EQ(store_->Release(a, "w1").code(), StatusCode::kAborted);
  EXPECT_TRUE(Complete(a, "w2").ok());
  auto next = Claim("w2");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->id, b);
}

TEST_P(JobStoreConformance, HeartbeatKeepsTheLease) {
  std::string id = Submit();
  ASSERT_TRUE(Claim("w1", milliseconds(200)).has_value());
  for (int i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(milliseconds(80));
    ASSERT_TRUE(store_->Heartbeat(id, "w1", milliseconds(200)).ok());
    EXPECT_FALSE(Claim("w2").has_value()) << "claimed while the lease was renewed, round " << i;
  }
  EXPECT_EQ(store_->Heartbeat(id, "w2", milliseconds(200)).code(), StatusCode::kAborted);
  EXPECT_EQ(*store_->QueueDepth(), 0);
}

TEST_P(JobStoreConformance, FinishNeedsTheLease) {
  std::string id = Submit();
  EXPECT_EQ(Complete(id, "w1").code(), StatusCode::kAborted) << "pending job finished";
  ASSERT_TRUE(Claim("w1").has_value());
  EXPECT_EQ(Complete(id, "w2").code(), StatusCode::kAborted);
  EXPECT_EQ(store_->Finish(id, "w1", JobState::kRunning, {}, "", "", "").code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(
      store_
          ->Finish(id, "w1", JobState::kCompleted, json::object{{"resources", 3}}, "art_1", "", "")
          .ok());
  Job job = MustGet(id);
  EXPECT_EQ(job.state, JobState::kCompleted);
  EXPECT_EQ(json::serialize(job.result), R"({"resources":3})");
  EXPECT_EQ(job.artifact, "art_1");
  EXPECT_GE(job.finished_at_ms, job.started_at_ms);
  EXPECT_EQ(Complete(id, "w1").code(), StatusCode::kAborted) << "finished twice";
}

TEST_P(JobStoreConformance, FailedJobKeepsErrorAndType) {
  std::string id = Submit();
  ASSERT_TRUE(Claim("w1").has_value());
  ASSERT_TRUE(
      store_->Finish(id, "w1", JobState::kFailed, {}, "", "ARM returned 403", "azure").ok());
  Job job = MustGet(id);
  EXPECT_EQ(job.state, JobState::kFailed);
  EXPECT_EQ(job.error, "ARM returned 403");
  EXPECT_EQ(job.error_type, "azure");
}

TEST_P(JobStoreConformance, TerminalJobsAreNeverClaimedAgain) {
  std::string id = Submit();
  ASSERT_TRUE(Claim("w1", milliseconds(100)).has_value());
  ASSERT_TRUE(Complete(id, "w1").ok());
  std::this_thread::sleep_for(milliseconds(200));  // past the old lease
  EXPECT_FALSE(Claim("w2").has_value());
  EXPECT_EQ(MustGet(id).state, JobState::kCompleted);
  EXPECT_EQ(MustGet(id).attempts, 1);
  EXPECT_EQ(store_->RequestCancel(id).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(*store_->QueueDepth(), 0);
}

TEST_P(JobStoreConformance, CancelPendingIsImmediate) {
  std::string a = Submit();
  std::string b = Submit();
  ASSERT_TRUE(store_->RequestCancel(a).ok());
  Job job = MustGet(a);
  EXPECT_EQ(job.state, JobState::kCancelled);
  EXPECT_EQ(job.error_type, "cancelled");
  EXPECT_GT(job.finished_at_ms, 0);
  EXPECT_EQ(*store_->QueueDepth(), 1);
  auto next = Claim("w1");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->id, b);
  EXPECT_FALSE(Claim("w1").has_value());
  EXPECT_EQ(store_->RequestCancel(a).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->RequestCancel(NewJobId()).code(), StatusCode::kNotFound);
}

TEST_P(JobStoreConformance, CancelRunningIsSeenByTheWorker) {
  std::string id = Submit();
  ASSERT_TRUE(Claim("w1").has_value());
  ASSERT_TRUE(store_->RequestCancel(id).ok());
  Job job = MustGet(id);
  EXPECT_EQ(job.state, JobState::kRunning);
  EXPECT_TRUE(job.cancel_requested);
  EXPECT_EQ(store_->Heartbeat(id, "w1", milliseconds(30000)).code(), StatusCode::kCancelled);
  ASSERT_TRUE(
      store_->Finish(id, "w1", JobState::kCancelled, {}, "", "cancelled by request", "cancelled")
          .ok());
  EXPECT_EQ(MustGet(id).state, JobState::kCancelled);
}

TEST_P(JobStoreConformance, CancelledJobWhoseLeaseExpiresIsNotRequeued) {
  std::string id = Submit();
  ASSERT_TRUE(Claim("w1", milliseconds(100)).has_value());
  ASSERT_TRUE(store_->RequestCancel(id).ok());
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_FALSE(Claim("w2").has_value());
  EXPECT_EQ(MustGet(id).state, JobState::kCancelled);
}

TEST_P(JobStoreConformance, CancelOfAJobWhoseWorkerDiedIsImmediate) {
  std::string id = Submit();
  ASSERT_TRUE(Claim("w1", milliseconds(100)).has_value());
  std::this_thread::sleep_for(milliseconds(200));  // w1's process is gone: no heartbeat
  ASSERT_TRUE(store_->RequestCancel(id).ok());
  Job job = MustGet(id);
  EXPECT_EQ(job.state, JobState::kCancelled);
  EXPECT_EQ(job.error_type, "cancelled");
  EXPECT_FALSE(Claim("w2").has_value());
  EXPECT_EQ(*store_->QueueDepth(), 0);
  // Were w1 only slow, it learns that it lost the job and records nothing.
  EXPECT_EQ(store_->Heartbeat(id, "w1", milliseconds(30000)).code(), StatusCode::kAborted);
  EXPECT_EQ(Complete(id, "w1").code(), StatusCode::kAborted);
  EXPECT_EQ(MustGet(id).state, JobState::kCancelled);
}

TEST_P(JobStoreConformance, ReleaseHandsTheJobBackToTheFront) {
  std::string a = Submit();
  std::string b = Submit();
  ASSERT_TRUE(Claim("w1").has_value());
  EXPECT_EQ(store_->Release(a, "w2").code(), StatusCode::kAborted);
  ASSERT_TRUE(store_->Release(a, "w1").ok());
  EXPECT_EQ(MustGet(a).state, JobState::kPending);
  EXPECT_EQ(*store_->QueueDepth(), 2);
  auto again = Claim("w2");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->id, a);
  EXPECT_EQ(again->attempts, 2);
  EXPECT_EQ(Claim("w2")->id, b);
}

TEST_P(JobStoreConformance, EventsReplayWithSequenceNumbers) {
  std::string id = Submit();
  ASSERT_TRUE(Claim("w1").has_value());
  for (int p : {10, 50, 90}) {
    ASSERT_TRUE(
        store_->PublishProgress(id, "w1", json::object{{"phase", "scan"}, {"percent", p}}).ok());
  }
  ASSERT_TRUE(Complete(id, "w1").ok());
  Job done = MustGet(id);
  EXPECT_EQ(FindInt(&done.progress, "percent").value_or(-1), 90);

  auto all = store_->EventsSince(id, 0, 100);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 6u);
  std::vector<std::string> kinds;
  for (size_t i = 0; i < all->size(); ++i) {
    const JobEvent& e = (*all)[i];
    EXPECT_EQ(e.seq, static_cast<int64_t>(i + 1));
    EXPECT_GT(e.at_ms, 0);
    kinds.push_back(e.type == "state"
                        ? std::string(FindString(&e.data, "state").value_or("?"))
                        : e.type + ":" + std::to_string(*FindInt(&e.data, "percent")));
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"pending", "running", "progress:10", "progress:50",
                                             "progress:90", "completed"}));
  auto tail = store_->EventsSince(id, 3, 2);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 2u);
  EXPECT_EQ((*tail)[0].seq, 4);
  EXPECT_EQ((*tail)[1].seq, 5);
  auto none = store_->EventsSince(id, 6, 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto unknown = store_->EventsSince(NewJobId(), 0, 10);
  ASSERT_TRUE(unknown.ok());
  EXPECT_TRUE(unknown->empty());
}

TEST_P(JobStoreConformance, ListsOnlyTheOwnersJobsNewestFirstWithCursor) {
  std::vector<std::string> mine;
  for (int i = 0; i < 7; ++i) {
    mine.push_back(Submit("key-a", i % 2 == 0 ? "scan" : "generate-iac"));
    Submit("key-b");
  }
  std::reverse(mine.begin(), mine.end());
  std::vector<std::string> seen;
  ListQuery q;
  q.owner = "key-a";
  q.limit = 3;
  int pages = 0;
  while (true) {
    auto page = store_->List(q);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ++pages;
    for (const Job& j : page->jobs) {
      EXPECT_EQ(j.owner, "key-a");
      seen.push_back(j.id);
    }
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, mine);

  ListQuery by_type;
  by_type.owner = "key-a";
  by_type.type = "generate-iac";
  auto typed = store_->List(by_type);
  ASSERT_TRUE(typed.ok());
  EXPECT_EQ(typed->jobs.size(), 3u);

  ASSERT_TRUE(store_->RequestCancel(mine[0]).ok());
  ListQuery by_state;
  by_state.owner = "key-a";
  by_state.state = JobState::kCancelled;
  auto cancelled = store_->List(by_state);
  ASSERT_TRUE(cancelled.ok());
  ASSERT_EQ(cancelled->jobs.size(), 1u);
  EXPECT_EQ(cancelled->jobs[0].id, mine[0]);

  ListQuery nobody;
  nobody.owner = "key-c";
  EXPECT_TRUE(store_->List(nobody)->jobs.empty());

  ListQuery bad = q;
  bad.cursor = "not a cursor!";
  EXPECT_EQ(store_->List(bad).status().code(), StatusCode::kInvalidArgument);
  bad.cursor = "";
  bad.limit = 0;
  EXPECT_EQ(store_->List(bad).status().code(), StatusCode::kInvalidArgument);
  bad.limit = 10;
  bad.owner = "";
  EXPECT_EQ(store_->List(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(JobStoreConformance, ManyThreadsOnTwoInstancesClaimEachJobOnce) {
  constexpr int kJobs = 120;
  for (int i = 0; i < kJobs; ++i) Submit();
  std::unique_ptr<JobStore> other = Open();
  ASSERT_NE(other, nullptr);
  std::mutex mu;
  std::map<std::string, int> claims;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    JobStore* s = t % 2 == 0 ? store_.get() : other.get();
    threads.emplace_back([&, s, t] {
      std::string worker = "w" + std::to_string(t);
      while (true) {
        auto j = s->ClaimNext(worker, milliseconds(30000));
        if (!j.ok()) {
          ++errors;
          continue;
        }
        if (!j->has_value()) return;
        {
          std::lock_guard lock(mu);
          ++claims[(*j)->id];
        }
        if (!s->Finish((*j)->id, worker, JobState::kCompleted, {}, "", "", "").ok()) ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claims.size(), static_cast<size_t>(kJobs));
  for (const auto& [id, n] : claims) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(*store_->QueueDepth(), 0);
}

TEST_P(JobStoreConformance, SeveralProcessesClaimEachJobOnce) {
  constexpr int kJobs = 90;
  constexpr int kChildren = 3;
  for (int i = 0; i < kJobs; ++i) Submit();
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::vector<pid_t> children;
  for (int c = 0; c < kChildren; ++c) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // The child opens its own store: connections must never cross fork().
      close(fds[0]);
      auto s = GetParam().open(ns_);
      if (!s.ok()) _exit(2);
      std::string worker = "child" + std::to_string(c);
      while (true) {
        auto j = (*s)->ClaimNext(worker, milliseconds(30000));
        if (!j.ok()) _exit(3);
        if (!j->has_value()) break;
        std::string line = (*j)->id + "\n";
        if (write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(4);
        if (!(*s)->Finish((*j)->id, worker, JobState::kCompleted, {}, "", "", "").ok()) _exit(5);
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  close(fds[1]);
  std::map<std::string, int> claims;
  while (true) {
    auto j = store_->ClaimNext("parent", milliseconds(30000));
    ASSERT_TRUE(j.ok()) << j.status().ToString();
    if (!j->has_value()) break;
    ++claims[(*j)->id];
    ASSERT_TRUE(Complete((*j)->id, "parent").ok());
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    ++claims[text.substr(start, end - start)];
    start = end + 1;
  }
  EXPECT_EQ(claims.size(), static_cast<size_t>(kJobs));
  for (const auto& [id, count] : claims) EXPECT_EQ(count, 1) << id;
  for (const auto& [id, count] : claims) EXPECT_EQ(MustGet(id).state, JobState::kCompleted);
}

}  // namespace atg::jobs::testing

#endif  // ATG_JOBS_TESTING_JOB_STORE_CONFORMANCE_H_
