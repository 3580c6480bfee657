#include "server/worker_pool.h"

#include <unistd.h>

#include "common/log.h"

namespace atg::server {
namespace {

std::string ErrorType(StatusCode code) {
  switch (code) {
    case StatusCode::kDeadlineExceeded:
      return "timeout";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
      return "auth";
    case StatusCode::kInvalidArgument:
      return "invalid_request";
    case StatusCode::kResourceExhausted:
      return "throttled";
    case StatusCode::kIoError:
      return "io";
    case StatusCode::kCancelled:
      return "cancelled";
    case StatusCode::kNotFound:
      return "not_found";
    default:
      return "internal";
  }
}

class StoreProgress : public JobProgress {
 public:
  StoreProgress(jobs::JobStore& store, std::string id, std::string worker)
      : store_(store), id_(std::move(id)), worker_(std::move(worker)) {}
  void Publish(const json::object& progress) override {
    Status s = store_.PublishProgress(id_, worker_, progress);
    if (!s.ok()) LogDebug("job {}: progress not stored: {}", id_, s.message());
  }

 private:
  jobs::JobStore& store_;
  std::string id_;
  std::string worker_;
};

}  // namespace

WorkerPool::WorkerPool(std::shared_ptr<jobs::JobStore> store, WorkerPoolOptions options,
                       std::map<std::string, JobExecutor> executors)
    : store_(std::move(store)), options_(std::move(options)), executors_(std::move(executors)) {}

WorkerPool::~WorkerPool() { Shutdown(std::chrono::milliseconds(0)); }

void WorkerPool::Start() {
  for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this, i] { WorkerLoop(i); });
}

void WorkerPool::Shutdown(std::chrono::milliseconds grace) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  // Running jobs are told to stop at once: a scan can be resumed by the next claimer, so the
  // grace only bounds how long we wait for them to notice.
  shutdown_.request_stop();
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (active_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void WorkerPool::WorkerLoop(int index) {
  const std::string worker_id =
      options_.worker_prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(index);
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    auto claimed = store_->ClaimNext(worker_id, options_.lease);
    if (claimed.ok() && claimed->has_value()) {
      RunOne(worker_id, std::move(**claimed));
      lock.lock();
      continue;
    }
    if (!claimed.ok()) LogWarning("claiming a job failed: {}", claimed.status().message());
    lock.lock();
    cv_.wait_for(lock, options_.poll, [this] { return stopping_; });
  }
}

void WorkerPool::RunOne(const std::string& worker_id, jobs::Job job) {
  active_.fetch_add(1);
  Log(LogLevel::kInfo, "job started",
      {{"job_id", job.id},
       {"type", job.type},
       {"worker", worker_id},
       {"attempt", std::to_string(job.attempts)}});
  auto start = std::chrono::steady_clock::now();
  std::stop_source stop;
  std::atomic<bool> cancelled{false}, timed_out{false}, lost_lease{false}, done{false};
  std::mutex m;
  std::condition_variable cv;
  // The watcher renews the lease and turns cancellation, the deadline and shutdown into `stop`.
  std::thread watcher([&] {
    auto next_heartbeat = std::chrono::steady_clock::now() + options_.lease / 3;
    std::unique_lock<std::mutex> lock(m);
    while (!done.load()) {
      cv.wait_for(lock, std::chrono::milliseconds(200));
      if (done.load()) break;
      lock.unlock();
      auto now = std::chrono::steady_clock::now();
      if (shutdown_.stop_requested()) stop.request_stop();
      if (options_.job_timeout.count() > 0 && now - start > options_.job_timeout) {
        timed_out = true;
        stop.request_stop();
      }
      auto current = store_->Get(job.id);
      if (current.ok() && current->has_value() && (*current)->cancel_requested) {
        cancelled = true;
        stop.request_stop();
      }
      if (now >= next_heartbeat) {
        Status hb = store_->Heartbeat(job.id, worker_id, options_.lease);
        // The lease is gone (expired and claimed again, or the job was finished): stop. A store
        // that is merely unreachable is retried on the next beat.
        if (!hb.ok() && hb.code() != StatusCode::kUnavailable &&
            hb.code() != StatusCode::kIoError) {
          lost_lease = true;
          stop.request_stop();
        }
        next_heartbeat = now + options_.lease / 3;
      }
      lock.lock();
    }
  });

  Result<JobOutput> out = Status::Internal("no executor for job type " + job.type);
  auto it = executors_.find(job.type);
  if (it != executors_.end()) {
    StoreProgress progress(*store_, job.id, worker_id);
    try {
      out = it->second(job, progress, stop.get_token());
    } catch (const std::exception& e) {
      out = Status::Internal(std::string("the job failed unexpectedly: ") + e.what());
    }
  }
  {
    std::lock_guard<std::mutex> lock(m);
    done = true;
  }
  cv.notify_all();
  watcher.join();

  Status fin;
  std::string outcome;
  if (lost_lease) {
    outcome = "lost lease";
  } else if (out.ok() && !cancelled && !timed_out) {
    fin = store_->Finish(job.id, worker_id, jobs::JobState::kCompleted, out->result, out->artifact,
                         "", "");
    outcome = "completed";
  } else if (cancelled) {
    fin = store_->Finish(job.id, worker_id, jobs::JobState::kCancelled, {}, "",
                         "cancelled at the request of its owner", "cancelled");
    outcome = "cancelled";
  } else if (timed_out) {
    fin = store_->Finish(job.id, worker_id, jobs::JobState::kFailed, {}, "",
                         "the job ran longer than ATG_JOB_TIMEOUT_SECONDS=" +
                             std::to_string(options_.job_timeout.count()) + " and was stopped",
                         "timeout");
    outcome = "timeout";
  } else if (shutdown_.stop_requested()) {
    fin = store_->Release(job.id, worker_id);
    outcome = "released";
  } else {
    fin = store_->Finish(job.id, worker_id, jobs::JobState::kFailed, {}, "", out.status().message(),
                         ErrorType(out.status().code()));
    outcome = "failed";
  }
  if (!fin.ok()) LogWarning("job {}: recording its end failed: {}", job.id, fin.message());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options_.on_job_end && fin.ok() && outcome != "released" && outcome != "lost lease") {
    std::string error_type = outcome == "completed"   ? ""
                             : outcome == "cancelled" ? "cancelled"
                             : outcome == "timeout"   ? "timeout"
                                                      : ErrorType(out.status().code());
    options_.on_job_end(job.type, seconds, error_type);
  }
  Log(LogLevel::kInfo, "job ended",
      {{"job_id", job.id},
       {"type", job.type},
       {"outcome", outcome},
       {"seconds",
        std::to_string(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count())}});
  active_.fetch_sub(1);
}

}  // namespace atg::server
