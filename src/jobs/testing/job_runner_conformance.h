// The JobRunner's behaviour on a real store, as one value-parameterised suite instantiated for
// each backend (see job_store_conformance.h for how).
#ifndef ATG_JOBS_TESTING_JOB_RUNNER_CONFORMANCE_H_
#define ATG_JOBS_TESTING_JOB_RUNNER_CONFORMANCE_H_

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "jobs/job.h"
#include "jobs/job_runner.h"
#include "jobs/job_store.h"
#include "jobs/testing/store_backend.h"

namespace atg::jobs::testing {

class RecordingObserver : public JobObserver {
 public:
  void OnJobFinished(const Job& job, JobState state, std::string_view error_type,
                     double seconds) override {
    std::lock_guard lock(mu);
    ++finished[std::string(JobStateName(state)) + "/" + std::string(error_type)];
  }
  void OnActiveWorkers(int active) override {
    std::lock_guard lock(mu);
    max_active = std::max(max_active, active);
    last_active = active;
  }
  std::mutex mu;
  std::map<std::string, int> finished;
  int max_active = 0;
  int last_active = -1;
};

class JobRunnerConformance : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    GetParam().require();
    if (IsSkipped() || HasFatalFailure()) return;
    ns_ = GetParam().new_namespace();
    ASSERT_FALSE(ns_.empty());
    auto s = GetParam().open(ns_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    if (!ns_.empty()) GetParam().cleanup(ns_);
  }

  static JobRunnerOptions FastOptions(int workers = 2) {
    JobRunnerOptions o;
    o.workers = workers;
    o.lease = std::chrono::milliseconds(3000);
    o.heartbeat_interval = std::chrono::milliseconds(500);
    o.cancel_poll_interval = std::chrono::milliseconds(100);
    o.idle_poll_min = std::chrono::milliseconds(10);
    o.idle_poll_max = std::chrono::milliseconds(50);
    o.publish_interval = std::chrono::milliseconds(100);
    o.data_dir = "/nonexistent-data-dir";
    return o;
  }

  std::string Submit(const std::string& type = "scan") {
    Job job;
    job.id = NewJobId();
    job.type = type;
    job.owner = "key-a";
    job.created_at_ms = 1'700'000'000'000 + (++clock_);
    Status s = store_->Create(job, 0);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return job.id;
  }

  Job Get(const std::string& id) {
    auto j = store_->Get(id);
    if (!j.ok() || !j->has_value()) {
      ADD_FAILURE() << "job " << id << " missing";
      return Job();
    }
    return **j;
  }

  // Polls until `id` is in a terminal state (or `state`), at most `timeout`.
  Job WaitFor(const std::string& id, std::function<bool(const Job&)> done,
              std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
    auto until = std::chrono::steady_clock::now() + timeout;
    Job j;
    while (std::chrono::steady_clock::now() < until) {
      j = Get(id);
      if (done(j)) return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "job " << id << " still " << JobStateName(j.state) << " after "
                  << timeout.count() << " ms";
    return j;
  }
  Job WaitTerminal(const std::string& id,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
    return WaitFor(
        id, [](const Job& j) { return IsTerminal(j.state); }, timeout);
  }

  // An executor that runs until its stop token fires (at most `cap`), then says it was stopped.
  static JobExecutor UntilStopped(std::chrono::milliseconds cap = std::chrono::milliseconds(8000)) {
    return [cap](const Job&, JobContext& ctx) -> Result<JobOutcome> {
      auto until = std::chrono::steady_clock::now() + cap;
      while (!ctx.stop_requested() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      return Status::Cancelled("stopped");
    };
  }

  std::string ns_;
  std::unique_ptr<JobStore> store_;
  int64_t clock_ = 0;
};

TEST_P(JobRunnerConformance, RunsJobsAndRecordsResults) {
  RecordingObserver observer;
  JobRunner runner(store_.get(), FastOptions(), &observer);
  runner.Register("scan", [](const Job& job, JobContext& ctx) -> Result<JobOutcome> {
    EXPECT_EQ(ctx.data_dir(), "/nonexistent-data-dir");
    EXPECT_FALSE(ctx.worker_id().empty());
    ctx.Publish(json::object{{"phase", "done"}, {"percent", 100}});
    return JobOutcome{json::object{{"echo", job.id}}, "art_" + job.id.substr(4, 6)};
  });
  runner.Register("broken", [](const Job&, JobContext&) -> Result<JobOutcome> {
    return Status::Unavailable("ARM did not answer");
  });
  ASSERT_TRUE(runner.Start().ok());
  EXPECT_EQ(runner.Start().code(), StatusCode::kFailedPrecondition);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(Submit());
  std::string broken = Submit("broken");
  std::string unknown = Submit("no-such-type");
  runner.Notify();
  for (const auto& id : ids) {
    Job j = WaitTerminal(id);
    EXPECT_EQ(j.state, JobState::kCompleted);
    EXPECT_EQ(FindString(&j.result, "echo").value_or(""), id);
    EXPECT_EQ(j.artifact, "art_" + id.substr(4, 6));
    EXPECT_EQ(FindInt(&j.progress, "percent").value_or(-1), 100);
  }
  Job b = WaitTerminal(broken);
  EXPECT_EQ(b.state, JobState::kFailed);
  EXPECT_EQ(b.error, "ARM did not answer");
  EXPECT_EQ(b.error_type, "unavailable");
  Job u = WaitTerminal(unknown);
  EXPECT_EQ(u.state, JobState::kFailed);
  EXPECT_EQ(u.error_type, "unsupported_type");
  EXPECT_NE(u.error.find("no-such-type"), std::string::npos);
  runner.Shutdown(std::chrono::milliseconds(1000));
  std::lock_guard lock(observer.mu);
  EXPECT_EQ(observer.finished["completed/"], 5);
  EXPECT_EQ(observer.finished["failed/unavailable"], 1);
  EXPECT_EQ(observer.finished["failed/unsupported_type"], 1);
  EXPECT_EQ(observer.last_active, 0);
}

TEST_P(JobRunnerConformance, AFailedJobsErrorNamesNoServerPath) {
  JobRunnerOptions o = FastOptions();
  o.data_dir = "/srv/atg-test-data";
  JobRunner runner(store_.get(), o);
  runner.Register("scan", [](const Job&, JobContext& ctx) -> Result<JobOutcome> {
    return Status::IoError("job database " + ctx.data_dir() +
                           "/tenants/t/graph.db: disk I/O error; also /home/ops/atg/.env");
  });
  ASSERT_TRUE(runner.Start().ok());
  const std::string id = Submit();
  runner.Notify();
  Job j = WaitTerminal(id);
  runner.Shutdown(std::chrono::milliseconds(1000));
  EXPECT_EQ(j.state, JobState::kFailed);
  EXPECT_EQ(j.error,
            "job database $ATG_DATA_DIR/tenants/t/graph.db: disk I/O error; also <server path>");
  EXPECT_EQ(j.error.find("/srv/"), std::string::npos) << j.error;
}

TEST_P(JobRunnerConformance, NeverRunsMoreThanMaxConcurrentJobs) {
  RecordingObserver observer;
  JobRunner runner(store_.get(), FastOptions(3), &observer);
  std::atomic<int> now{0}, peak{0};
  runner.Register("scan", [&](const Job&, JobContext&) -> Result<JobOutcome> {
    int n = ++now;
    int p = peak.load();
    while (n > p && !peak.compare_exchange_weak(p, n)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    --now;
    return JobOutcome{};
  });
  std::vector<std::string> ids;
  for (int i = 0; i < 9; ++i) ids.push_back(Submit());
  ASSERT_TRUE(runner.Start().ok());
  for (const auto& id : ids) EXPECT_EQ(WaitTerminal(id).state, JobState::kCompleted);
  EXPECT_EQ(peak.load(), 3);
  std::lock_guard lock(observer.mu);
  EXPECT_EQ(observer.max_active, 3);
}

TEST_P(JobRunnerConformance, TimeoutStopsTheJobAndFailsIt) {
  JobRunnerOptions o = FastOptions(1);
  o.job_timeout = std::chrono::milliseconds(300);
  RecordingObserver observer;
  JobRunner runner(store_.get(), o, &observer);
  runner.Register("scan", UntilStopped());
  std::string id = Submit();
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(runner.Start().ok());
  Job j = WaitTerminal(id);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(j.state, JobState::kFailed);
  EXPECT_EQ(j.error_type, "timeout");
  EXPECT_NE(j.error.find("ATG_JOB_TIMEOUT_SECONDS"), std::string::npos) << j.error;
  EXPECT_LT(took, std::chrono::milliseconds(2500));
  runner.Shutdown(std::chrono::milliseconds(500));
  std::lock_guard lock(observer.mu);
  EXPECT_EQ(observer.finished["failed/timeout"], 1);
}

TEST_P(JobRunnerConformance, CancelStopsARunningJobWithinASecond) {
  JobRunner runner(store_.get(), FastOptions(1));
  std::atomic<bool> started{false};
  runner.Register("scan", [&](const Job& job, JobContext& ctx) -> Result<JobOutcome> {
    started = true;
    return UntilStopped()(job, ctx);
  });
  std::string id = Submit();
  ASSERT_TRUE(runner.Start().ok());
  WaitFor(id, [&](const Job&) { return started.load(); });
  auto asked = std::chrono::steady_clock::now();
  ASSERT_TRUE(store_->RequestCancel(id).ok());
  Job j = WaitTerminal(id);
  auto took = std::chrono::steady_clock::now() - asked;
  EXPECT_EQ(j.state, JobState::kCancelled);
  EXPECT_EQ(j.error_type, "cancelled");
  EXPECT_LT(took, std::chrono::milliseconds(1000));
}

TEST_P(JobRunnerConformance, ProgressIsRateLimitedButTheLastUpdateLands) {
  JobRunner runner(store_.get(), FastOptions(1));
  std::atomic<int64_t> publishing_ms{0};
  runner.Register("scan", [&](const Job&, JobContext& ctx) -> Result<JobOutcome> {
    auto start = std::chrono::steady_clock::now();
    for (int i = 1; i <= 100; ++i) {
      ctx.Publish(json::object{{"phase", "scan"}, {"percent", i}});
      std::this_thread::sleep_for(std::chrono::milliseconds(4));
    }
    publishing_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    std::this_thread::sleep_for(std::chrono::milliseconds(250));  // the monitor flushes
    return JobOutcome{};
  });
  std::string id = Submit();
  ASSERT_TRUE(runner.Start().ok());
  Job j = WaitTerminal(id);
  EXPECT_EQ(j.state, JobState::kCompleted);
  EXPECT_EQ(FindInt(&j.progress, "percent").value_or(-1), 100);
  auto events = store_->EventsSince(id, 0, 1000);
  ASSERT_TRUE(events.ok());
  int progress = 0;
  int64_t last_percent = 0;
  for (const auto& e : *events) {
    if (e.type != "progress") continue;
    ++progress;
    int64_t p = FindInt(&e.data, "percent").value_or(-1);
    EXPECT_GT(p, last_percent) << "progress went backwards";
    last_percent = p;
  }
  // 100 updates over ~0.4 s (longer on a loaded machine) at one write per 100 ms, plus the
  // first and the last.
  EXPECT_GE(progress, 2);
  EXPECT_LE(progress, publishing_ms.load() / 100 + 3) << "over " << publishing_ms << " ms";
  EXPECT_LT(progress, 50);
  EXPECT_EQ(last_percent, 100);
}

TEST_P(JobRunnerConformance, RepeatedIdenticalProgressIsRecordedOnce) {
  JobRunner runner(store_.get(), FastOptions(1));
  runner.Register("scan", [&](const Job&, JobContext& ctx) -> Result<JobOutcome> {
    // Each publish is past the interval, so without the check every one would be an event.
    for (int i = 0; i < 4; ++i) {
      ctx.Publish(json::object{{"phase", "listing"}, {"percent", 10}});
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
    }
    ctx.Publish(json::object{{"phase", "listing"}, {"percent", 20}});
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    ctx.Publish(json::object{{"phase", "listing"}, {"percent", 10}});
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    return JobOutcome{};
  });
  std::string id = Submit();
  ASSERT_TRUE(runner.Start().ok());
  Job j = WaitTerminal(id);
  EXPECT_EQ(j.state, JobState::kCompleted);
  auto events = store_->EventsSince(id, 0, 1000);
  ASSERT_TRUE(events.ok());
  std::vector<int64_t> percents;
  for (const auto& e : *events) {
    if (e.type == "progress") percents.push_back(FindInt(&e.data, "percent").value_or(-1));
  }
  // A value that comes back after a different one is news again.
  EXPECT_EQ(percents, (std::vector<int64_t>{10, 20, 10}));
}

TEST_P(JobRunnerConformance, HeartbeatsKeepALongJobFromBeingTakenOver) {
  JobRunnerOptions o = FastOptions(1);
  o.lease = std::chrono::milliseconds(400);
  o.heartbeat_interval = std::chrono::milliseconds(100);
  JobRunner runner(store_.get(), o);
  runner.Register("scan", [](const Job&, JobContext&) -> Result<JobOutcome> {
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    return JobOutcome{};
  });
  std::string id = Submit();
  ASSERT_TRUE(runner.Start().ok());
  auto other = GetParam().open(ns_);
  ASSERT_TRUE(other.ok());
  WaitFor(id, [](const Job& j) { return j.state == JobState::kRunning; });
  for (int i = 0; i < 10; ++i) {
    auto stolen = (*other)->ClaimNext("thief", std::chrono::milliseconds(10000));
    ASSERT_TRUE(stolen.ok());
    EXPECT_FALSE(stolen->has_value()) << "the lease lapsed while the job ran";
    std::this_thread::sleep_for(std::chrono::milliseconds(80));
  }
  Job j = WaitTerminal(id);
  EXPECT_EQ(j.state, JobState::kCompleted);
  EXPECT_EQ(j.attempts, 1);
}

TEST_P(JobRunnerConformance, LostLeaseStopsTheRunWithoutRecordingIt) {
  JobRunnerOptions o = FastOptions(1);
  o.lease = std::chrono::milliseconds(150);
  o.heartbeat_interval = std::chrono::milliseconds(600);  // too slow on purpose
  JobRunner runner(store_.get(), o);
  std::atomic<bool> started{false}, stopped{false};
  runner.Register("scan", [&](const Job& job, JobContext& ctx) -> Result<JobOutcome> {
    started = true;
    UntilStopped()(job, ctx).ok();
    stopped = true;
    return JobOutcome{json::object{{"by", "first"}}, ""};
  });
  std::string id = Submit();
  ASSERT_TRUE(runner.Start().ok());
  WaitFor(id, [&](const Job&) { return started.load(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  auto other = GetParam().open(ns_);
  ASSERT_TRUE(other.ok());
  auto taken = (*other)->ClaimNext("second", std::chrono::milliseconds(10000));
  ASSERT_TRUE(taken.ok());
  ASSERT_TRUE(taken->has_value());
  EXPECT_EQ((*taken)->attempts, 2);
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (!stopped && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(stopped.load()) << "the executor kept running without its lease";
  runner.Shutdown(std::chrono::milliseconds(500));
  Job j = Get(id);
  EXPECT_EQ(j.state, JobState::kRunning) << "the first worker recorded a job it had lost";
  EXPECT_TRUE(j.result.empty());
  EXPECT_TRUE((*other)->Finish(id, "second", JobState::kCompleted, {}, "", "", "").ok());
}

TEST_P(JobRunnerConformance, ShutdownReleasesRunningJobs) {
  std::string cooperative = Submit("cooperative");
  std::string stubborn = Submit("stubborn");
  std::atomic<int> running{0};
  {
    JobRunner runner(store_.get(), FastOptions(2));
    runner.Register("cooperative", [&](const Job& job, JobContext& ctx) -> Result<JobOutcome> {
      ++running;
      return UntilStopped()(job, ctx);
    });
    runner.Register("stubborn", [&](const Job&, JobContext&) -> Result<JobOutcome> {
      ++running;
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // ignores the stop token
      return JobOutcome{json::object{{"late", true}}, ""};
    });
    ASSERT_TRUE(runner.Start().ok());
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (running < 2 && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_EQ(running.load(), 2);
    auto start = std::chrono::steady_clock::now();
    runner.Shutdown(std::chrono::milliseconds(300));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1200));
    // Both are back in the queue at once, before the stubborn executor has even returned.
    EXPECT_EQ(Get(cooperative).state, JobState::kPending);
    EXPECT_EQ(Get(stubborn).state, JobState::kPending);
    EXPECT_EQ(*store_->QueueDepth(), 2);
  }  // the destructor waits for the stubborn executor; its late result is dropped
  EXPECT_EQ(Get(stubborn).state, JobState::kPending);
  EXPECT_TRUE(Get(stubborn).result.empty());

  // The next runner (a restarted service) completes both.
  JobRunner next(store_.get(), FastOptions(2));
  JobExecutor ok = [](const Job&, JobContext&) -> Result<JobOutcome> { return JobOutcome{}; };
  next.Register("cooperative", ok);
  next.Register("stubborn", ok);
  ASSERT_TRUE(next.Start().ok());
  for (const auto& id : {cooperative, stubborn}) {
    Job j = WaitTerminal(id);
    EXPECT_EQ(j.state, JobState::kCompleted);
    EXPECT_EQ(j.attempts, 2);
  }
}

TEST_P(JobRunnerConformance, JobOfAKilledProcessIsCompletedOnceAfterItsLeaseExpires) {
  std::string id = Submit();
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    auto s = GetParam().open(ns_);
    if (!s.ok()) _exit(2);
    auto j = (*s)->ClaimNext("doomed", std::chrono::milliseconds(700));
    if (!j.ok() || !j->has_value()) _exit(3);
    if (write(fds[1], "x", 1) != 1) _exit(4);
    while (true) pause();  // "mid-job" until SIGKILL
  }
  close(fds[1]);
  char c = 0;
  ASSERT_EQ(read(fds[0], &c, 1), 1) << "the child did not claim the job";
  close(fds[0]);
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  Job orphan = Get(id);
  EXPECT_EQ(orphan.state, JobState::kRunning);
  EXPECT_EQ(orphan.attempts, 1);

  std::atomic<int> runs{0};
  JobRunner runner(store_.get(), FastOptions(2));
  runner.Register("scan", [&](const Job& job, JobContext&) -> Result<JobOutcome> {
    ++runs;
    return JobOutcome{json::object{{"attempt", job.attempts}}, ""};
  });
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(runner.Start().ok());
  Job j = WaitTerminal(id);
  EXPECT_EQ(j.state, JobState::kCompleted);
  EXPECT_EQ(j.attempts, 2);
  EXPECT_EQ(FindInt(&j.result, "attempt").value_or(0), 2);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(runs.load(), 1);
  runner.Shutdown(std::chrono::milliseconds(500));
  EXPECT_EQ(Get(id).state, JobState::kCompleted);
}

}  // namespace atg::jobs::testing

#endif  // ATG_JOBS_TESTING_JOB_RUNNER_CONFORMANCE_H_
