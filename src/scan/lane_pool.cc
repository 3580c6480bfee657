#include "scan/lane_pool.h"

namespace atg::scan {

LanePool::LanePool(int threads, int max_per_lane) : max_per_lane_(std::max(1, max_per_lane)) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Work(); });
}

LanePool::~LanePool() {
  {
    std::unique_lock lock(mu_);
    idle_cv_.wait(lock, [&] { return pending_ == 0; });
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void LanePool::Submit(const std::string& lane, std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    lanes_[lane].tasks.push_back(std::move(task));
    ++pending_;
  }
  work_cv_.notify_one();
}

void LanePool::WaitIdle() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [&] { return pending_ == 0; });
}

size_t LanePool::Pending() {
  std::lock_guard lock(mu_);
  return pending_;
}

bool LanePool::Next(std::function<void()>* task, std::string* lane) {
  if (lanes_.empty()) return false;
  auto start = lanes_.upper_bound(cursor_);
  auto it = start;
  for (size_t i = 0; i < lanes_.size(); ++i) {
    if (it == lanes_.end()) it = lanes_.begin();
    Lane& l = it->second;
    if (!l.tasks.empty() && l.running < max_per_lane_) {
      *task = std::move(l.tasks.front());
      l.tasks.pop_front();
      ++l.running;
      *lane = it->first;
      cursor_ = it->first;
      return true;
    }
    ++it;
  }
  return false;
}

void LanePool::Work() {
  std::unique_lock lock(mu_);
  while (true) {
    std::function<void()> task;
    std::string lane;
    work_cv_.wait(lock, [&] { return stopping_ || Next(&task, &lane); });
    if (!task) return;  // stopping and nothing runnable
    lock.unlock();
    task();
    task = nullptr;
    lock.lock();
    auto it = lanes_.find(lane);
    if (--it->second.running == 0 && it->second.tasks.empty()) lanes_.erase(it);
    --pending_;
    if (pending_ == 0) idle_cv_.notify_all();
    // A slot of this lane is free again: another worker may now take one of its tasks.
    work_cv_.notify_one();
  }
}

}  // namespace atg::scan
