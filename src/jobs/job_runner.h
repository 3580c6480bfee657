// JobRunner: the worker pool of `atg serve`. N workers each take the oldest pending job from a
// JobStore, run the executor registered for its type, keep its lease alive, and record how it
// ended. A job whose worker process dies is taken up again by any runner once its lease
// expires; a job whose lease this runner lost is dropped here without touching it.
//
// How a run ends:
//   executor returns a value           -> completed (result, artifact)
//   executor returns an error Status   -> failed, error_type from the Status code (ErrorTypeFor)
//   cancel requested (DELETE)          -> cancelled, error_type "cancelled"
//   ATG_JOB_TIMEOUT_SECONDS passed     -> failed, error_type "timeout"
//   runner shutting down               -> released back to the front of the queue
//   lease lost                         -> nothing recorded (another worker owns the job now)
// In the last four cases the executor's stop_token is triggered; executors must check it at
// safe points (between pages, between resources) and return promptly.
//
// Thread-safety: Register before Start; every other method may be called from any thread.
#ifndef ATG_JOBS_JOB_RUNNER_H_
#define ATG_JOBS_JOB_RUNNER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "common/config.h"
#include "common/json.h"
#include "common/status.h"
#include "jobs/job_store.h"

namespace atg::jobs {

// What a successful run produced.
struct JobOutcome {
  json::object result;   // the summary object stored with the job
  std::string artifact;  // artifact id, "" when none
};

// Handed to an executor for one run. Owned by the runner; valid during the executor call only.
class JobContext {
 public:
  virtual ~JobContext() = default;
  // Triggered on cancel, timeout, shutdown or lease loss.
  virtual std::stop_token stop_token() const = 0;
  bool stop_requested() const { return stop_token().stop_requested(); }
  // Records progress {phase, percent, counters, message}. Cheap to call often: updates are
  // coalesced and written at most every publish_interval (the last one always lands).
  virtual void Publish(json::object progress) = 0;
  // ATG_DATA_DIR (where artifacts go).
  virtual const std::string& data_dir() const = 0;
  // The id of the worker running this job (for logs).
  virtual const std::string& worker_id() const = 0;
};

using JobExecutor = std::function<Result<JobOutcome>(const Job&, JobContext&)>;

// Receives the runner's measurements; the server feeds them into its metrics registry. Calls
// come from worker threads, possibly at once; implementations must be thread-safe and quick.
class JobObserver {
 public:
  virtual ~JobObserver() = default;
  // A run ended with a terminal state (not for released or lost runs).
  virtual void OnJobFinished(const Job& job, JobState state, std::string_view error_type,
                             double seconds) {}
  // The number of workers currently running a job changed.
  virtual void OnActiveWorkers(int active) {}
};

struct JobRunnerOptions {
  int workers = 3;                         // ATG_MAX_CONCURRENT_JOBS
  std::chrono::milliseconds lease{30000};  // how long a claim lasts unrenewed
  std::chrono::milliseconds heartbeat_interval{10000};
  std::chrono::milliseconds cancel_poll_interval{500};  // how often a run checks for cancel
  std::chrono::milliseconds idle_poll_min{100};         // idle back-off, doubling up to max
  std::chrono::milliseconds idle_poll_max{2000};
  std::chrono::milliseconds publish_interval{250};  // at most 4 progress writes a second
  std::chrono::milliseconds job_timeout{0};         // ATG_JOB_TIMEOUT_SECONDS; 0 = none
  std::string data_dir;
  std::string worker_prefix;  // "" = "<hostname>-<pid>"
};

// Reads ATG_MAX_CONCURRENT_JOBS (1..64, default 3), ATG_JOB_TIMEOUT_SECONDS (0..604800,
// default 21600 = 6 h; 0 = no limit) and ATG_DATA_DIR; errors name the variable.
Result<JobRunnerOptions> JobRunnerOptionsFromSettings(const Settings& settings);

class JobRunner {
 public:
  // `store` and `observer` (may be null) must outlive the runner.
  JobRunner(JobStore* store, JobRunnerOptions options, JobObserver* observer = nullptr);
  // Shuts down with no grace if still running, then waits for the workers.
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // The executor for jobs of `type`. Jobs of a type with no executor fail ("unsupported_type").
  void Register(std::string type, JobExecutor executor);

  // Starts the workers. FailedPrecondition when already started.
  Status Start();

  // A job was just submitted: idle workers look at the queue now instead of after their poll.
  void Notify();

  // Stops claiming and asks every running job to stop at its next safe point. Runs that end
  // within `grace` are recorded as usual (a run stopped only by the shutdown is released);
  // runs still going after `grace` are released back to the queue at once, so another process
  // (or this service after its restart) picks them up, and their eventual result is dropped.
  // Returns once every job is recorded or released; the destructor waits for the threads.
  void Shutdown(std::chrono::milliseconds grace);

  // Workers currently running a job.
  int active_workers() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace atg::jobs

#endif  // ATG_JOBS_JOB_RUNNER_H_
