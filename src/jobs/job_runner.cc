#include "jobs/job_runner.h"

#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "common/data_dir.h"
#include "common/log.h"
#include "jobs/job.h"

namespace atg::jobs {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Why a run was asked to stop; the first reason wins.
enum class StopReason { kNone, kCancel, kTimeout, kShutdown, kLeaseLost };

std::string DefaultWorkerPrefix() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  unsigned char r[3] = {0, 0, 0};
  RAND_bytes(r, sizeof r);
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%02x%02x%02x", r[0], r[1], r[2]);
  return std::string(host[0] ? host : "host") + "-" + std::to_string(getpid()) + "-" + suffix;
}

std::string Seconds(milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

// One claimed job while this runner works on it.
struct Run {
  Job job;
  std::string worker_id;
  Clock::time_point started = Clock::now();
  std::stop_source stop;

  std::mutex mu;
  std::condition_variable_any cv;  // wakes the monitor (new progress)
  StopReason reason = StopReason::kNone;
  bool settled = false;  // finished or released: nobody may record anything else
  std::optional<json::object> pending_progress;
  uint64_t progress_seq = 0;  // bumped by every Publish, so the monitor re-plans its wake-up
  Clock::time_point last_publish{};
  // What the store last got. A job that reports the same thing again (a scan stuck retrying,
  // a progress ticker) would otherwise fill its event history with copies.
  std::optional<json::object> last_published;
  std::mutex publish_mu;  // one progress write at a time, so they land in order

  void Stop(StopReason why) {
    {
      std::lock_guard lock(mu);
      if (reason == StopReason::kNone) reason = why;
    }
    stop.request_stop();
    cv.notify_all();
  }
  StopReason Reason() {
    std::lock_guard lock(mu);
    return reason;
  }
};

}  // namespace

class JobRunner::Impl {
 public:
  Impl(JobStore* store, JobRunnerOptions options, JobObserver* observer)
      : store_(store), options_(std::move(options)), observer_(observer) {
    if (options_.worker_prefix.empty()) options_.worker_prefix = DefaultWorkerPrefix();
    options_.workers = std::max(1, options_.workers);
  }

  ~Impl() {
    bool running;
    {
      std::lock_guard lock(mu_);
      running = started_ && !stopping_;
    }
    if (running) Shutdown(milliseconds(0));
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

  void Register(std::string type, JobExecutor executor) {
    std::lock_guard lock(mu_);
    executors_[std::move(type)] = std::move(executor);
  }

  Status Start() {
    std::lock_guard lock(mu_);
    if (started_) return Status::FailedPrecondition("the job runner was already started");
    started_ = true;
    for (int i = 0; i < options_.workers; ++i) {
      std::string id = options_.worker_prefix + "/w" + std::to_string(i);
      threads_.emplace_back([this, id] { WorkerLoop(id); });
    }
    return Status::Ok();
  }

  void Notify() {
    std::lock_guard lock(mu_);
    ++notify_seq_;
    idle_cv_.notify_all();
  }

  void Shutdown(milliseconds grace) {
    std::vector<std::shared_ptr<Run>> runs;
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      runs.assign(runs_.begin(), runs_.end());
    }
    idle_cv_.notify_all();
    for (auto& r : runs) r->Stop(StopReason::kShutdown);
    std::unique_lock lock(mu_);
    runs_cv_.wait_for(lock, grace, [&] { return runs_.empty(); });
    runs.assign(runs_.begin(), runs_.end());
    lock.unlock();
    for (auto& r : runs) {
      {
        std::lock_guard run_lock(r->mu);
        if (r->settled) continue;
        r->settled = true;
      }
      Status s = store_->Release(r->job.id, r->worker_id);
      Log(s.ok() ? LogLevel::kInfo : LogLevel::kWarning,
          s.ok() ? "job released at shutdown; another worker will run it"
                 : "could not release job at shutdown; it runs again after its lease expires",
          {{"job_id", r->job.id}, {"worker", r->worker_id}, {"status", s.ToString()}});
    }
  }

  int active() const { return active_.load(); }

 private:
  void WorkerLoop(const std::string& worker_id) {
    milliseconds backoff = options_.idle_poll_min;
    while (true) {
      uint64_t seen;
      {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        seen = notify_seq_;
      }
      auto claimed = store_->ClaimNext(worker_id, options_.lease);
      if (claimed.ok() && claimed->has_value()) {
        backoff = options_.idle_poll_min;
        RunJob(std::move(**claimed), worker_id);
        continue;
      }
      if (!claimed.ok()) {
        Log(LogLevel::kWarning, "worker could not claim a job; retrying",
            {{"worker", worker_id}, {"status", claimed.status().ToString()}});
      }
      std::unique_lock lock(mu_);
      idle_cv_.wait_for(lock, backoff, [&] { return stopping_ || notify_seq_ != seen; });
      backoff = std::min(backoff * 2, options_.idle_poll_max);
    }
  }

  class Context final : public JobContext {
   public:
    Context(Impl* impl, Run* run) : impl_(impl), run_(run) {}
    std::stop_token stop_token() const override { return run_->stop.get_token(); }
    void Publish(json::object progress) override {
      bool now_due;
      {
        std::lock_guard lock(run_->mu);
        run_->pending_progress = std::move(progress);
        ++run_->progress_seq;
        now_due = Clock::now() - run_->last_publish >= impl_->options_.publish_interval;
      }
      if (now_due)
        impl_->FlushProgress(*run_);
      else
        run_->cv.notify_all();  // the monitor writes it when the interval has passed
    }
    const std::string& data_dir() const override { return impl_->options_.data_dir; }
    const std::string& worker_id() const override { return run_->worker_id; }

   private:
    Impl* impl_;
    Run* run_;
  };

  void FlushProgress(Run& run) {
    std::lock_guard publishing(run.publish_mu);
    json::object progress;
    {
      std::lock_guard lock(run.mu);
      if (!run.pending_progress || run.settled) return;
      progress = std::move(*run.pending_progress);
      run.pending_progress.reset();
      run.last_publish = Clock::now();
      if (run.last_published == progress) return;
      run.last_published = progress;
    }
    Status s = store_->PublishProgress(run.job.id, run.worker_id, progress);
    if (s.code() == StatusCode::kAborted) run.Stop(StopReason::kLeaseLost);
  }

  // Renews the lease, watches for cancel and the time limit, and writes coalesced progress
  // until `st` is triggered (the executor returned).
  void Monitor(Run& run, std::stop_token st) {
    auto now = Clock::now();
    auto next_heartbeat = now + options_.heartbeat_interval;
    auto next_poll = now + options_.cancel_poll_interval;
    auto last_renewed = now;
    std::optional<Clock::time_point> deadline;
    if (options_.job_timeout.count() > 0) deadline = run.started + options_.job_timeout;
    std::unique_lock lock(run.mu);
    while (!st.stop_requested()) {
      auto wake = std::min(next_heartbeat, next_poll);
      if (deadline) wake = std::min(wake, *deadline);
      if (run.pending_progress) {
        wake = std::min(wake, run.last_publish + options_.publish_interval);
      }
      uint64_t seen = run.progress_seq;
      run.cv.wait_until(lock, st, wake, [&] { return run.progress_seq != seen; });
      if (st.stop_requested()) break;
      lock.unlock();
      now = Clock::now();
      if (deadline && now >= *deadline) {
        deadline.reset();
        run.Stop(StopReason::kTimeout);
      }
      if (now >= next_heartbeat) {
        Status s = store_->Heartbeat(run.job.id, run.worker_id, options_.lease);
        if (s.ok() || s.code() == StatusCode::kCancelled) last_renewed = now;
        if (s.code() == StatusCode::kCancelled) run.Stop(StopReason::kCancel);
        if (s.code() == StatusCode::kAborted) run.Stop(StopReason::kLeaseLost);
        if (!s.ok() && s.code() != StatusCode::kCancelled && s.code() != StatusCode::kAborted) {
          Log(LogLevel::kWarning, "could not renew a job lease",
              {{"job_id", run.job.id}, {"status", s.ToString()}});
          // Past the lease another process may already have taken the job over.
          if (now - last_renewed >= options_.lease) run.Stop(StopReason::kLeaseLost);
        }
        next_heartbeat = now + options_.heartbeat_interval;
      }
      if (now >= next_poll) {
        auto job = store_->Get(run.job.id);
        if (job.ok() && job->has_value() && (*job)->cancel_requested) {
          run.Stop(StopReason::kCancel);
        }
        next_poll = now + options_.cancel_poll_interval;
      }
      bool due;
      {
        std::lock_guard l(run.mu);
        due = run.pending_progress && Clock::now() - run.last_publish >= options_.publish_interval;
      }
      if (due) FlushProgress(run);
      lock.lock();
    }
  }

  void RunJob(Job job, const std::string& worker_id) {
    auto run = std::make_shared<Run>();
    run->job = std::move(job);
    run->worker_id = worker_id;
    JobExecutor executor;
    {
      std::lock_guard lock(mu_);
      if (stopping_) {
        // Claimed while shutting down: give it straight back.
        store_->Release(run->job.id, worker_id).ok();
        return;
      }
      runs_.insert(run);
      auto it = executors_.find(run->job.type);
      if (it != executors_.end()) executor = it->second;
    }
    int active = ++active_;
    if (observer_) observer_->OnActiveWorkers(active);
    Log(LogLevel::kInfo, "job started",
        {{"job_id", run->job.id},
         {"type", run->job.type},
         {"worker", worker_id},
         {"attempt", std::to_string(run->job.attempts)}});

    Result<JobOutcome> outcome = Status::Internal("not run");
    {
      std::jthread monitor([this, &run](std::stop_token st) { Monitor(*run, st); });
      if (!executor) {
        outcome = Status::InvalidArgument("no executor for job type '" + run->job.type +
                                          "'; this server cannot run such jobs");
      } else {
        Context ctx(this, run.get());
        try {
          outcome = executor(run->job, ctx);
        } catch (const std::exception& e) {
          outcome = Status::Internal(std::string("the job failed unexpectedly: ") + e.what());
        } catch (...) {
          outcome = Status::Internal("the job failed unexpectedly (unknown exception)");
        }
      }
      monitor.request_stop();
    }
    if (outcome.ok()) FlushProgress(*run);
    Record(*run, outcome, executor != nullptr);
    {
      std::lock_guard lock(mu_);
      runs_.erase(run);
    }
    runs_cv_.notify_all();
    active = --active_;
    if (observer_) observer_->OnActiveWorkers(active);
  }

  void Record(Run& run, const Result<JobOutcome>& outcome, bool had_executor) {
    StopReason reason;
    {
      std::lock_guard lock(run.mu);
      if (run.settled) return;  // released by Shutdown after its grace
      run.settled = true;
      reason = run.reason;
    }
    double seconds = std::chrono::duration<double>(Clock::now() - run.started).count();
    const std::string& id = run.job.id;
    if (reason == StopReason::kLeaseLost) {
      Log(LogLevel::kWarning, "job lease lost; leaving the job to its new worker",
          {{"job_id", id}, {"worker", run.worker_id}});
      return;
    }
    JobState state;
    json::object result;
    std::string artifact, error, error_type;
    if (outcome.ok()) {
      state = JobState::kCompleted;
      result = outcome->result;
      artifact = outcome->artifact;
    } else if (reason == StopReason::kCancel) {
      state = JobState::kCancelled;
      error = "cancelled by request";
      error_type = "cancelled";
    } else if (reason == StopReason::kTimeout) {
      state = JobState::kFailed;
      error = "the job ran longer than its time limit of " + Seconds(options_.job_timeout) +
              " s (ATG_JOB_TIMEOUT_SECONDS) and was stopped; narrow the request (fewer "
              "subscriptions or resource groups) or raise the limit";
      error_type = "timeout";
    } else if (reason == StopReason::kShutdown) {
      Status s = store_->Release(id, run.worker_id);
      Log(LogLevel::kInfo, "job stopped for shutdown and released",
          {{"job_id", id}, {"status", s.ToString()}});
      return;
    } else {
      state = JobState::kFailed;
      // The client sees the error without the server's paths; the log keeps it whole.
      error = ClientSafeError(outcome.status().message(), options_.data_dir);
      error_type = had_executor ? std::string(ErrorTypeFor(outcome.status().code()))
                                : std::string("unsupported_type");
      Log(LogLevel::kWarning, "job failed",
          {{"job_id", id}, {"type", run.job.type}, {"error", outcome.status().message()}});
    }
    Status s;
    for (int attempt = 0; attempt < 5; ++attempt) {
      s = store_->Finish(id, run.worker_id, state, result, artifact, error, error_type);
      if (s.ok() || s.code() == StatusCode::kAborted) break;
      std::this_thread::sleep_for(milliseconds(100 << attempt));
    }
    if (!s.ok()) {
      Log(LogLevel::kWarning, "could not record the end of a job",
          {{"job_id", id}, {"state", std::string(JobStateName(state))}, {"status", s.ToString()}});
      return;
    }
    Log(state == JobState::kCompleted ? LogLevel::kInfo : LogLevel::kWarning, "job finished",
        {{"job_id", id},
         {"type", run.job.type},
         {"state", std::string(JobStateName(state))},
         {"error_type", error_type},
         {"seconds", Seconds(milliseconds(static_cast<int64_t>(seconds * 1000)))}});
    if (observer_) observer_->OnJobFinished(run.job, state, error_type, seconds);
  }

  JobStore* store_;
  JobRunnerOptions options_;
  JobObserver* observer_;

  mutable std::mutex mu_;
  std::condition_variable idle_cv_;
  std::condition_variable runs_cv_;
  std::map<std::string, JobExecutor> executors_;
  std::set<std::shared_ptr<Run>> runs_;
  std::vector<std::thread> threads_;
  bool started_ = false;
  bool stopping_ = false;
  uint64_t notify_seq_ = 0;
  std::atomic<int> active_{0};
};

Result<JobRunnerOptions> JobRunnerOptionsFromSettings(const Settings& settings) {
  JobRunnerOptions o;
  auto workers = settings.GetInt("ATG_MAX_CONCURRENT_JOBS", 3, 1, 64);
  if (!workers.ok()) return workers.status();
  o.workers = static_cast<int>(*workers);
  auto timeout = settings.GetInt("ATG_JOB_TIMEOUT_SECONDS", 21600, 0, 604800);
  if (!timeout.ok()) return timeout.status();
  o.job_timeout = std::chrono::seconds(*timeout);
  // How long a dead process holds its jobs: shorter recovers sooner, longer tolerates longer
  // pauses (GC-free here, but a stalled host or network partition to Redis).
  auto lease = settings.GetInt("ATG_JOB_LEASE_SECONDS", 30, 2, 3600);
  if (!lease.ok()) return lease.status();
  o.lease = std::chrono::seconds(*lease);
  o.heartbeat_interval = o.lease / 3;
  auto dir = DataDir(settings);
  if (!dir.ok()) return dir.status();
  o.data_dir = *dir;
  return o;
}

JobRunner::JobRunner(JobStore* store, JobRunnerOptions options, JobObserver* observer)
    : impl_(std::make_unique<Impl>(store, std::move(options), observer)) {}
JobRunner::~JobRunner() = default;
void JobRunner::Register(std::string type, JobExecutor executor) {
  impl_->Register(std::move(type), std::move(executor));
}
Status JobRunner::Start() { return impl_->Start(); }
void JobRunner::Notify() { impl_->Notify(); }
void JobRunner::Shutdown(std::chrono::milliseconds grace) { impl_->Shutdown(grace); }
int JobRunner::active_workers() const { return impl_->active(); }

}  // namespace atg::jobs
