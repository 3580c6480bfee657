#include "graph/lease_renewer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace atg::graph {
namespace {

using std::chrono::milliseconds;

// Counts renewals; a test waits for a count with a generous deadline instead of sleeping.
class Renewals {
 public:
  bool Renew(bool held) {
    std::lock_guard lk(mu_);
    ++count_;
    cv_.notify_all();
    return held;
  }
  bool WaitFor(int n, std::chrono::seconds deadline = std::chrono::seconds(30)) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, deadline, [&] { return count_ >= n; });
  }
  int count() {
    std::lock_guard lk(mu_);
    return count_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

TEST(LeaseRenewerTest, RenewsEveryPeriodUntilStopped) {
  Renewals r;
  LeaseRenewer renewer;
  renewer.Start(milliseconds(1), [&] { return r.Renew(true); });
  ASSERT_TRUE(r.WaitFor(3));
  renewer.Stop();
  const int after_stop = r.count();
  renewer.Stop();  // idempotent
  EXPECT_EQ(r.count(), after_stop) << "renew ran after Stop returned";
}

TEST(LeaseRenewerTest, StopDoesNotWaitForThePeriod) {
  // A period no test run reaches: Stop must wake the thread rather than wait it out, and no
  // renewal happens before the first period ends.
  Renewals r;
  LeaseRenewer renewer;
  renewer.Start(std::chrono::hours(24), [&] { return r.Renew(true); });
  renewer.Stop();
  EXPECT_EQ(r.count(), 0);
}

TEST(LeaseRenewerTest, ALostLeaseEndsTheRenewals) {
  Renewals r;
  LeaseRenewer renewer;
  renewer.Start(milliseconds(1), [&] { return r.Renew(false); });
  ASSERT_TRUE(r.WaitFor(1));
  // The thread ends by itself after the lost renewal: Stop only joins it, and no renewal
  // follows the first.
  renewer.Stop();
  EXPECT_EQ(r.count(), 1);
}

}  // namespace
}  // namespace atg::graph
