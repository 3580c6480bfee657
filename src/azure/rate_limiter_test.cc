#include "azure/rate_limiter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <thread>


namespace atg::azure {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

RateScope Arm(std::string sub) { return RateScope{ApiKind::kArm, std::move(sub), false}; }
RateScope Arg() { return RateScope{ApiKind::kResourceGraph, "principal-1", false}; }
RateScope Graph() { return RateScope{ApiKind::kGraph, "tenant-1", false}; }

Duration MustAcquire(RateLimiter& limiter, const RateScope& scope, double cost) {
  auto r = limiter.Acquire(scope, cost);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Duration::zero();
}

TEST(RateLimiterTest, ArmBurstThenRefillRate) {
  FakeClock clock;
  RateLimiter limiter(&clock);
  for (int i = 0; i < 250; ++i) ASSERT_EQ(MustAcquire(limiter, Arm("sub-a"), 1), Duration::zero());
  EXPECT_TRUE(clock.Sleeps().empty());
  // The 251st read waits for one token at 25/s.
  EXPECT_NEAR(ToSeconds(MustAcquire(limiter, Arm("sub-a"), 1)), 0.04, 1e-6);
  // 25 more take about one more second in all.
  Duration total{0};
  for (int i = 0; i < 25; ++i) total += MustAcquire(limiter, Arm("sub-a"), 1);
  EXPECT_NEAR(ToSeconds(total), 25 * 0.04, 1e-3);
  // A second refilled after a long pause, but never above the capacity.
  clock.Advance(seconds(3600));
  EXPECT_DOUBLE_EQ(limiter.Available(Arm("sub-a")), 250);
}

TEST(RateLimiterTest, SubscriptionsHaveSeparateBuckets) {
  FakeClock clock;
  RateLimiter limiter(&clock);
  for (int i = 0; i < 250; ++i) MustAcquire(limiter, Arm("sub-a"), 1);
  EXPECT_EQ(MustAcquire(limiter, Arm("SUB-B"), 1), Duration::zero());
  EXPECT_DOUBLE_EQ(limiter.Available(Arm("sub-b")), 249);  // keys ignore case
  EXPECT_GT(MustAcquire(limiter, Arm("sub-a"), 1), Duration::zero());
}

TEST(RateLimiterTest, ArmHeadersSlowTheBucketDownButNeverSpeedItUp) {
  FakeClock clock;
  RateLimiter limiter(&clock);
  MustAcquire(limiter, Arm("sub-a"), 1);
  // Another client of the same principal has used most of the subscription's reads.
  limiter.Observe(Arm("sub-a"), HttpHeaders{{"x-ms-ratelimit-remaining-subscription-reads", "3"}});
  EXPECT_DOUBLE_EQ(limiter.Available(Arm("sub-a")), 3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(MustAcquire(limiter, Arm("sub-a"), 1), Duration::zero());
  EXPECT_NEAR(ToSeconds(MustAcquire(limiter, Arm("sub-a"), 1)), 0.04, 1e-6);
  // A larger remaining count (a stale response) does not raise the local count.
  limiter.Observe(Arm("sub-a"),
                  HttpHeaders{{"X-MS-RateLimit-Remaining-Subscription-Reads", "240"}});
  EXPECT_LE(limiter.Available(Arm("sub-a")), 0);
  // The global-reads header counts too; the smaller one wins.
  clock.Advance(seconds(60));
  limiter.Observe(Arm("sub-a"),
                  HttpHeaders{{"x-ms-ratelimit-remaining-subscription-reads", "100"},
                              {"x-ms-ratelimit-remaining-subscription-global-reads", "20"}});
  EXPECT_DOUBLE_EQ(limiter.Available(Arm("sub-a")), 20);
  // Write headers do not touch the read bucket.
  limiter.Observe(Arm("sub-a"), HttpHeaders{{"x-ms-ratelimit-remaining-subscription-writes", "1"}});
  EXPECT_DOUBLE_EQ(limiter.Available(Arm("sub-a")), 20);
}

TEST(RateLimiterTest, ArmWritesHaveTheirOwnBucket) {
  FakeClock clock;
  RateLimiter limiter(&clock);
  RateScope writes{ApiKind::kArm, "sub-a", true};
  for (int i = 0; i < 200; ++i) ASSERT_EQ(MustAcquire(limiter, writes, 1), Duration::zero());
  EXPECT_NEAR(ToSeconds(MustAcquire(limiter, writes, 1)), 0.1, 1e-6);
  EXPECT_DOUBLE_EQ(limiter.Available(Arm("sub-a")), 250);
}

TEST(RateLimiterTest, ResourceGraphQuotaWindow) {
  FakeClock clock;
  RateLimiter limiter(&clock);
  for (int i = 0; i < 15; ++i) ASSERT_EQ(MustAcquire(limiter, Arg(), 1), Duration::zero());
  // The 16th query waits for the refill (3/s).
  EXPECT_NEAR(ToSeconds(MustAcquire(limiter, Arg(), 1)), 1.0 / 3, 1e-6);
}

TEST(RateLimiterTest, ResourceGraphQuotaHeadersPauseUntilTheWindowResets) {
  FakeClock clock;
  RateLimiter limiter(&clock);
  MustAcquire(limiter, Arg(), 1);
  limiter.Observe(Arg(), HttpHeaders{{"x-ms-user-quota-remaining", "0"},
                                     {"x-ms-user-quota-resets-after", "00:00:03"}});
  EXPECT_DOUBLE_EQ(limiter.Available(Arg()), 0);
  // No refill inside the window: the next query waits for the reset, however it is timed.
  clock.Advance(seconds(1));
  EXPECT_DOUBLE_EQ(limiter.Available(Arg()), 0);
  EXPECT_NEAR(ToSeconds(MustAcquire(limiter, Arg(), 1)), 2.0, 1e-6);
  // After the reset the window is full again (one token used by the query above).
  EXPECT_NEAR(limiter.Available(Arg()), 14, 1e-6);
  for (int i = 0; i < 14; ++i) EXPECT_EQ(MustAcquire(limiter, Arg(), 1), Duration::zero());
}

TEST(RateLimiterTest, ResourceGraphRemainingWithoutResetOnlyLowers) {
  FakeClock clock;
  RateLimiter limiter(&clock);
  limiter.Observe(Arg(), HttpHeaders{{"x-ms-user-quota-remaining", "4"}});
  EXPECT_DOUBLE_EQ(limiter.Available(Arg()), 4);
  clock.Advance(seconds(1));
  EXPECT_DOUBLE_EQ(limiter.Available(Arg()), 7);  // ordinary refill continues
}

TEST(RateLimiterTest, GraphResourceUnits) {
  FakeClock clock;
  RateLimiter limiter(&clock);
  // 8,000 RU per 10 s: 4,000 list-users pages (2 RU each) go at once ...
  for (int i = 0; i < 4000; ++i) ASSERT_EQ(MustAcquire(limiter, Graph(), 2), Duration::zero());
  // ... and a transitiveMembers page (5 RU) then waits 5/800 s.
  EXPECT_NEAR(ToSeconds(MustAcquire(limiter, Graph(), 5)), 5.0 / 800, 1e-9);
}

TEST(RateLimiterTest, GraphHeadersChargeTheRealCostAndSlowDownNearTheLimit) {
  FakeClock clock;
  RateLimiter limiter(&clock);
  MustAcquire(limiter, Graph(), 1);
  limiter.Observe(Graph(), HttpHeaders{{"x-ms-resource-unit", "4"}}, 1);
  EXPECT_DOUBLE_EQ(limiter.Available(Graph()), 8000 - 4);
  limiter.Observe(Graph(), HttpHeaders{{"x-ms-throttle-limit-percentage", "0.9"}}, 1);
  EXPECT_NEAR(limiter.Available(Graph()), 800, 1e-6);
  limiter.Observe(Graph(), HttpHeaders{{"x-ms-throttle-limit-percentage", "1.2"}}, 1);
  EXPECT_NEAR(limiter.Available(Graph()), -1600, 1e-6);
  EXPECT_NEAR(ToSeconds(MustAcquire(limiter, Graph(), 1)), 1601.0 / 800, 1e-6);
}

TEST(RateLimiterTest, ThrottledScopePausesEveryone) {
  FakeClock clock;
  RateLimiter limiter(&clock);
  limiter.OnThrottled(Arm("sub-a"), Duration(seconds(5)));
  EXPECT_NEAR(ToSeconds(MustAcquire(limiter, Arm("sub-a"), 1)), 5.04, 1e-6);
  EXPECT_EQ(MustAcquire(limiter, Arm("sub-b"), 1), Duration::zero());
  // Without Retry-After the bucket is emptied and refills at its rate.
  limiter.OnThrottled(Arm("sub-b"), std::nullopt);
  EXPECT_NEAR(ToSeconds(MustAcquire(limiter, Arm("sub-b"), 1)), 0.04, 1e-6);
}

TEST(RateLimiterTest, CostAboveCapacityIsCapped) {
  FakeClock clock;
  RateLimiter limiter(&clock);
  EXPECT_EQ(MustAcquire(limiter, Arg(), 100), Duration::zero());
  EXPECT_NEAR(ToSeconds(MustAcquire(limiter, Arg(), 1)), 1.0 / 3, 1e-6);
}

TEST(RateLimiterTest, UnlimitedKindsAndDisabledLimiter) {
  FakeClock clock;
  RateLimiter limiter(&clock);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(MustAcquire(limiter, RateScope{ApiKind::kIdentity, "", false}, 1), Duration::zero());
  }
  RateLimiter off(&clock, RateLimitOptions{.enabled = false});
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(MustAcquire(off, Arg(), 1), Duration::zero());
  EXPECT_TRUE(clock.Sleeps().empty());
}

TEST(RateLimiterTest, CancelledWaitGivesTokensBack) {
  FakeClock clock;
  RateLimiter limiter(&clock);
  for (int i = 0; i < 15; ++i) MustAcquire(limiter, Arg(), 1);
  std::stop_source stop;
  clock.SetSleepHook([&](Duration) { stop.request_stop(); });
  auto r = limiter.Acquire(Arg(), 1, stop.get_token());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_DOUBLE_EQ(limiter.Available(Arg()), 0);
}

TEST(RateLimiterTest, ConcurrentCallersNeverExceedTheRate) {
  FakeClock clock;
  const TimePoint start = clock.Now();
  RateLimiter limiter(&clock, RateLimitOptions{.resource_graph = {1, 10}});
  std::mutex mu;
  std::vector<double> granted_at;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto r = limiter.Acquire(Arg(), 1);
        ASSERT_TRUE(r.ok());
        std::lock_guard lock(mu);
        granted_at.push_back(ToSeconds(clock.Now() - start));
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(granted_at.size(), 80u);
  std::sort(granted_at.begin(), granted_at.end());
  // A burst of 1, then 10/s: by time t at most 1 + 10t callers have gone through.
  for (size_t k = 0; k < granted_at.size(); ++k) {
    EXPECT_GE(granted_at[k], k / 10.0 - 1e-6) << k;
  }
}

TEST(TimeSpanTest, Parses) {
  EXPECT_EQ(ParseTimeSpan("00:00:03"), Duration(seconds(3)));
  EXPECT_EQ(ParseTimeSpan("01:02:03"), Duration(seconds(3723)));
  EXPECT_EQ(ParseTimeSpan("1.00:00:01"), Duration(seconds(86401)));
  EXPECT_EQ(ParseTimeSpan("00:00:00.5"), Duration(milliseconds(500)));
  EXPECT_FALSE(ParseTimeSpan("3").has_value());
  EXPECT_FALSE(ParseTimeSpan("aa:bb:cc").has_value());
}

}  // namespace
}  // namespace atg::azure
