// LeaseRenewer: keeps a lease alive from a thread of its own, calling `renew` every `period`
// until Stop, or until `renew` says the lease is lost. A scan session holds its tenant's scan
// lock as a lease in the store (a process that dies stops renewing, and the lock expires);
// this is the thread that renews it.
//
// Thread-safety: Start and Stop are called by the owner's thread; `renew` runs on the renewer's
// thread only, never after Stop returns.
#ifndef ATG_GRAPH_LEASE_RENEWER_H_
#define ATG_GRAPH_LEASE_RENEWER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace atg::graph {

class LeaseRenewer {
 public:
  // Returns false when the lease is lost: the renewer then stops by itself.
  using Renew = std::function<bool()>;

  LeaseRenewer() = default;
  // Stops as Stop does.
  ~LeaseRenewer();
  LeaseRenewer(const LeaseRenewer&) = delete;
  LeaseRenewer& operator=(const LeaseRenewer&) = delete;

  // Starts the thread: the first renewal is one `period` from now. Call at most once.
  void Start(std::chrono::milliseconds period, Renew renew);

  // Wakes the thread at once (a renewal in progress finishes first) and joins it. Idempotent.
  void Stop();

 private:
  void Loop(std::chrono::milliseconds period, const Renew& renew);

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace atg::graph

#endif  // ATG_GRAPH_LEASE_RENEWER_H_
