// The workers of `atg serve`: threads that claim jobs from the JobStore, run the executor of
// the job's type, renew the lease while it runs, publish progress, and finish the job. A job
// whose cancellation is requested (DELETE) or whose deadline passes is stopped through its
// stop_token; on shutdown the running jobs are stopped and handed back to the queue (Release),
// so another process or the next start picks them up (risk R8).
//
// Thread-safety: Start and Shutdown from one owner thread; ActiveWorkers from any thread.
#ifndef ATG_SERVER_WORKER_POOL_H_
#define ATG_SERVER_WORKER_POOL_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job_store.h"
#include "server/job_executor.h"

namespace atg::server {

struct WorkerPoolOptions {
  int workers = 3;                          // ATG_MAX_CONCURRENT_JOBS
  std::chrono::milliseconds lease{30'000};  // renewed every lease / 3
  std::chrono::milliseconds poll{250};      // how often idle workers look for work
  std::chrono::seconds job_timeout{3600};   // ATG_JOB_TIMEOUT_SECONDS; 0: none
  std::string worker_prefix = "atg";        // worker ids: "<prefix>-<pid>-<n>"
  // Called when a job ends on this worker (not when it is released or its lease was lost):
  // its type, run time, and error_type ("" when completed).
  std::function<void(std::string_view type, double seconds, std::string_view error_type)>
      on_job_end;
};

class WorkerPool {
 public:
  WorkerPool(std::shared_ptr<jobs::JobStore> store, WorkerPoolOptions options,
             std::map<std::string, JobExecutor> executors);
  ~WorkerPool();  // Shutdown(0)

  void Start();
  // Stops claiming, asks running jobs to stop, waits up to `grace` for them; jobs that end
  // because of the shutdown are released back to the queue. Idempotent.
  void Shutdown(std::chrono::milliseconds grace);

  int ActiveWorkers() const { return active_.load(); }

 private:
  void WorkerLoop(int index);
  void RunOne(const std::string& worker_id, jobs::Job job);

  std::shared_ptr<jobs::JobStore> store_;
  const WorkerPoolOptions options_;
  std::map<std::string, JobExecutor> executors_;
  std::atomic<int> active_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::stop_source shutdown_;
  std::vector<std::thread> threads_;
};

}  // namespace atg::server

#endif  // ATG_SERVER_WORKER_POOL_H_
