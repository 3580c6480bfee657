#include "graph/lease_renewer.h"

#include <utility>

namespace atg::graph {

LeaseRenewer::~LeaseRenewer() { Stop(); }

void LeaseRenewer::Start(std::chrono::milliseconds period, Renew renew) {
  thread_ = std::thread([this, period, renew = std::move(renew)] { Loop(period, renew); });
}

void LeaseRenewer::Loop(std::chrono::milliseconds period, const Renew& renew) {
  std::unique_lock lk(mu_);
  while (true) {
    if (cv_.wait_for(lk, period, [&] { return stop_; })) return;
    lk.unlock();
    const bool held = renew();
    lk.lock();
    if (!held) return;
  }
}

void LeaseRenewer::Stop() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace atg::graph
