// Job retention: finished jobs (and their events and artifacts) are removed once they are older
// than ATG_JOB_RETENTION_DAYS, so a long-running service's job store (a SQLite file, or a Redis
// with a fixed memory budget) stops growing with its history. Pending and running jobs are never
// removed, whatever their age.
//
// Thread-safety: the functions are reentrant; a JobPurger's methods may be called from any
// thread.
#ifndef ATG_JOBS_JOB_RETENTION_H_
#define ATG_JOBS_JOB_RETENTION_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>

#include "common/clock.h"
#include "common/config.h"
#include "common/status.h"
#include "jobs/artifact_store.h"
#include "jobs/job_store.h"

namespace atg::jobs {

// ATG_JOB_RETENTION_DAYS (0..3650, default 30; 0 = keep finished jobs forever) as a duration.
// The error names the variable.
Result<std::chrono::milliseconds> JobRetention(const Settings& settings);

// Jobs removed per PurgeFinishedBefore call: small enough that one batch (its transaction or
// its Lua script, which blocks Redis while it runs) takes milliseconds even when each job has
// hundreds of events.
inline constexpr int64_t kPurgeBatchSize = 200;

// Removes every terminal job that finished before `cutoff_ms` (Unix ms), batch by batch, and
// deletes the artifacts of the removed jobs from `artifacts` (may be null; an artifact that is
// already gone, e.g. expired, is fine). Returns how many jobs this call removed. Stops between
// batches once `stop` is requested (returning what was removed so far). A store error ends
// the run with that error (batches already done stay done); a failed artifact delete is only
// logged, since its job is gone and the artifact sweep (ATG_ARTIFACT_TTL_DAYS) still removes
// it. `store` and `artifacts` are not owned.
Result<int64_t> PurgeFinishedJobs(JobStore* store, ArtifactStore* artifacts, int64_t cutoff_ms,
                                  int64_t batch_size = kPurgeBatchSize, std::stop_token stop = {});

struct JobPurgerOptions {
  std::chrono::milliseconds retention{0};  // must be > 0
  std::chrono::milliseconds interval = std::chrono::hours(1);
  int64_t batch_size = kPurgeBatchSize;
  // The wall clock the cutoff is computed from (not owned; must outlive the purger). Tests pass
  // a FakeClock and move it forward instead of waiting days. The wait between runs is real time.
  Clock* clock = Clock::Real();
  // Called after each run with the number of jobs it removed (e.g. to count them in metrics).
  // Runs on the purger's thread; must be quick and thread-safe.
  std::function<void(int64_t purged)> on_purged;
};

// Runs PurgeFinishedJobs(store, artifacts, now - retention) on its own thread at once and then
// every `interval`, logging one info line per run with the count, until destroyed. Destruction
// stops the current run between two batches and joins the thread. `store` and `artifacts`
// (may be null) must outlive the purger.
class JobPurger {
 public:
  JobPurger(JobStore* store, ArtifactStore* artifacts, JobPurgerOptions options);
  ~JobPurger();
  JobPurger(const JobPurger&) = delete;
  JobPurger& operator=(const JobPurger&) = delete;

  int64_t purged() const;  // jobs removed so far
  int64_t runs() const;    // runs completed so far (failed ones included)

 private:
  void Loop(std::stop_token stop);

  JobStore* store_;
  ArtifactStore* artifacts_;
  const JobPurgerOptions options_;
  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  int64_t purged_ = 0;   // guarded by mu_
  int64_t runs_ = 0;     // guarded by mu_
  std::jthread thread_;  // last: started after every other member is ready
};

}  // namespace atg::jobs

#endif  // ATG_JOBS_JOB_RETENTION_H_
