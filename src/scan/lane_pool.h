// LanePool: a fixed set of worker threads running tasks from named lanes, round-robin across
// lanes, with at most `max_per_lane` tasks of one lane running at once.
//
// Why lanes: ARM limits reads per subscription. With one shared FIFO, a burst of work for one
// subscription would park every worker on that subscription's rate limiter while the others
// sit idle; with a lane per subscription the workers spread over the subscriptions and each
// one's bucket drains at its own pace.
//
// Tasks may submit further tasks. WaitIdle returns once no task is queued or running.
//
// Thread-safety: Submit and WaitIdle may be called from any thread (WaitIdle not from a task).
// The destructor stops the workers after the queued tasks have run.
#ifndef ATG_SCAN_LANE_POOL_H_
#define ATG_SCAN_LANE_POOL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace atg::scan {

class LanePool {
 public:
  LanePool(int threads, int max_per_lane);
  ~LanePool();
  LanePool(const LanePool&) = delete;
  LanePool& operator=(const LanePool&) = delete;

  void Submit(const std::string& lane, std::function<void()> task);
  void WaitIdle();
  // Tasks queued or running.
  size_t Pending();

 private:
  struct Lane {
    std::deque<std::function<void()>> tasks;
    int running = 0;
  };
  void Work();
  // A runnable task, round-robin over lanes; false when none (caller waits). mu_ held.
  bool Next(std::function<void()>* task, std::string* lane);

  const int max_per_lane_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable idle_cv_;
  std::map<std::string, Lane> lanes_;
  std::string cursor_;  // lane after which the next search starts
  size_t pending_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace atg::scan

#endif  // ATG_SCAN_LANE_POOL_H_
