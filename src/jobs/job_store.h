// JobStore: the durable job queue behind `atg serve`, one interface for both backends (SQLite
// in ATG_DATA_DIR by default, Redis when REDIS_URL is set). Several `atg serve` processes may
// share one store (Redis; SQLite only within one host) and it survives their crashes:
//  * fair: ClaimNext hands out a job handed back (lease expired, released) first; otherwise the
//    oldest pending job of the owner (API key) with the fewest running jobs, ties going to the
//    owner whose turn came longest ago, so one key's flood never starves another key's jobs;
//    each owner's jobs run in FIFO order;
//  * leases: a claimed job belongs to one worker until its lease expires; the worker renews it
//    with Heartbeat. A job whose lease expired (its process was killed) is pending again for the
//    next ClaimNext, so no job is lost and none runs twice at the same time;
//  * terminal states (completed, failed, cancelled) are final: such a job is never claimed again;
//  * every state change and progress update is an event with a per-job sequence number, kept
//    for replay (SSE history and Last-Event-ID).
//  * retention: terminal jobs, with their events, are removed once PurgeFinishedBefore is asked
//    to (atg serve does so ATG_JOB_RETENTION_DAYS after they finished; jobs/job_retention.h).
//
// Thread-safety: every method may be called from any thread at once.
#ifndef ATG_JOBS_JOB_STORE_H_
#define ATG_JOBS_JOB_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.h"
#include "common/json.h"
#include "common/status.h"

namespace atg::jobs {

enum class JobState { kPending, kRunning, kCompleted, kFailed, kCancelled };

// "pending", "running", "completed", "failed", "cancelled".
std::string_view JobStateName(JobState state);
std::optional<JobState> ParseJobState(std::string_view name);
inline bool IsTerminal(JobState s) { return s != JobState::kPending && s != JobState::kRunning; }

struct Job {
  std::string id;         // "job_" + 32 lower-case hex (random); validated before any lookup
  std::string type;       // "scan" | "generate-iac"
  std::string owner;      // the API key id that created it
  std::string tenant_id;  // the Azure tenant the job works on
  JobState state = JobState::kPending;
  json::object request;  // the validated request body
  // {phase, percent (0..100), counters {..}, message}; the latest published.
  json::object progress;
  json::object result;     // the summary object, once completed
  std::string error;       // once failed / cancelled: what happened, for the user
  std::string error_type;  // short class for metrics: "timeout", "cancelled", "azure", "store"...
  std::string artifact;    // artifact id once an archive was stored; "" otherwise
  int64_t created_at_ms = 0;
  int64_t started_at_ms = 0;   // 0 until first claimed
  int64_t finished_at_ms = 0;  // 0 until terminal
  int attempts = 0;            // how many times it was claimed
  bool cancel_requested = false;
};

struct JobEvent {
  int64_t seq = 0;    // 1, 2, 3... per job
  std::string type;   // "state" | "progress"
  json::object data;  // state events: {state, error?}; progress events: the progress object
  int64_t at_ms = 0;
};

struct ListQuery {
  std::string owner;  // required: a key lists only its own jobs
  std::optional<JobState> state;
  std::optional<std::string> type;
  std::string cursor;  // opaque, from JobPage::next_cursor; "" = newest first
  int limit = 50;      // 1..200
};

struct JobPage {
  std::vector<Job> jobs;    // newest first
  std::string next_cursor;  // "" when there are no more
};

// What one JobStore::PurgeFinishedBefore call removed.
struct PurgeBatch {
  int64_t purged = 0;  // job records removed by this call
  // The artifact ids of the removed jobs, which only this caller saw; the caller deletes them
  // from its ArtifactStore.
  std::vector<std::string> artifacts;
  // The batch was full: more jobs may be due, call again.
  bool more = false;
};

// The limits Create enforces atomically with the insert. Implicit from a depth, so that
// Create(job, 100) reads naturally.
struct QueueLimits {
  QueueLimits(int64_t depth = 0) : max_queue_depth(depth) {}  // NOLINT: implicit on purpose
  QueueLimits(int64_t depth, int64_t per_owner)
      : max_queue_depth(depth), max_pending_per_owner(per_owner) {}
  int64_t max_queue_depth = 0;        // pending jobs in all; 0 = unlimited
  int64_t max_pending_per_owner = 0;  // pending jobs of the new job's owner; 0 = unlimited
};

class JobStore {
 public:
  virtual ~JobStore() = default;

  // "sqlite" or "redis".
  virtual std::string_view backend() const = 0;

  // Adds `job` (state pending) at the back of its owner's queue. kResourceExhausted when a
  // limit of `limits` is reached (the message says which and how to proceed); kAlreadyExists
  // for a used id.
  virtual Status Create(const Job& job, const QueueLimits& limits) = 0;

  // The job, or nullopt when no job has that id.
  virtual Result<std::optional<Job>> Get(std::string_view id) = 0;

  virtual Result<JobPage> List(const ListQuery& query) = 0;

  // Leases the next pending job in the fair order of the file comment (jobs whose lease expired
  // are pending again, at the front) to `worker_id` for `lease`, marks it running and returns
  // it; nullopt when nothing is pending.
  virtual Result<std::optional<Job>> ClaimNext(std::string_view worker_id,
                                               std::chrono::milliseconds lease) = 0;

  // Renews the lease. kAborted when the worker no longer holds it (it expired and the job was
  // claimed again, or it was finished): the worker must stop working on that job. kCancelled
  // (lease renewed) once RequestCancel was called: the worker should stop at a safe point and
  // Finish the job as kCancelled.
  virtual Status Heartbeat(std::string_view id, std::string_view worker_id,
                           std::chrono::milliseconds lease) = 0;

  // Stores the latest progress and appends a "progress" event. kAborted without the lease.
  virtual Status PublishProgress(std::string_view id, std::string_view worker_id,
                                 const json::object& progress) = 0;

  // Ends a running job: state is kCompleted (with result and artifact), kFailed or kCancelled
  // (with error / error_type). kAborted without the lease; the job is then left as it is.
  virtual Status Finish(std::string_view id, std::string_view worker_id, JobState state,
                        const json::object& result, std::string_view artifact,
                        std::string_view error, std::string_view error_type) = 0;

  // Hands a running job back to the front of the queue (graceful shutdown). kAborted without
  // the lease.
  virtual Status Release(std::string_view id, std::string_view worker_id) = 0;

  // A pending job becomes cancelled at once; a running one gets cancel_requested (its worker
  // sees it through Get/Heartbeat and stops). Terminal jobs: kFailedPrecondition.
  virtual Status RequestCancel(std::string_view id) = 0;

  // Events with seq > after_seq, oldest first (at most `limit`).
  virtual Result<std::vector<JobEvent>> EventsSince(std::string_view id, int64_t after_seq,
                                                    int limit) = 0;

  // Pending jobs (the queue depth of the metrics and of ATG_MAX_QUEUE_DEPTH).
  virtual Result<int64_t> QueueDepth() = 0;

  // Job retention: removes up to `limit` (>= 1) terminal jobs (completed, failed, cancelled)
  // whose finished_at_ms is before `cutoff_ms` (Unix ms), oldest finish first, together with
  // their events and every index entry, so Get, List (and its cursors) and EventsSince no
  // longer see them. Pending and running jobs are never removed, however old; the queue depth
  // is unchanged. Each call is one atomic step of bounded size (one transaction, one script),
  // so a large backlog is cleared in batches while other operations interleave between them.
  // Several processes may purge the same store at once: each job is removed, counted and its
  // artifact reported by exactly one call. Artifacts are not deleted here (the store does not
  // own them): the caller deletes PurgeBatch::artifacts; PurgeFinishedJobs in
  // jobs/job_retention.h does both. kInvalidArgument when `limit` < 1.
  virtual Result<PurgeBatch> PurgeFinishedBefore(int64_t cutoff_ms, int64_t limit) = 0;

  // Cheap liveness check of the backing service, for /health.
  virtual Status Ping() = 0;

  // Backups (`atg backup --include-jobs`). Every job of every owner, in no particular order,
  // each as it is at the moment it is read (the store keeps changing meanwhile). A non-OK
  // status from `visit` stops the walk and is returned.
  // Both backends implement these two; the defaults serve test doubles, saying so.
  virtual Status ForEachJob(const std::function<Status(Job&& job)>& visit);

  // Restores: adds `job` with its `events` exactly as given — id, owner, state, times, result,
  // artifact and event sequence — and returns true; when a job with that id exists it is left
  // as it is (the store's copy is newer than any backup) and the answer is false. A restored
  // pending job is queued behind the pending jobs; a restored running job has no live worker, so
  // its lease counts as expired: the next claim puts it back in the queue as a worker that died
  // would. kInvalidArgument for a malformed id.
  virtual Result<bool> RestoreJob(const Job& job, const std::vector<JobEvent>& events);
};

// The store the settings select: Redis when REDIS_URL is set, else SQLite at
// DataDir(settings)/jobs.db. Errors name the variable and what to fix ("Queue connection
// failed: ..." when Redis does not answer).
Result<std::unique_ptr<JobStore>> OpenJobStore(const Settings& settings);

}  // namespace atg::jobs

#endif  // ATG_JOBS_JOB_STORE_H_
