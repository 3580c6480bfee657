#include "azure/retry_policy.h"

#include <gtest/gtest.h>

#include <thread>

namespace atg::azure {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RetryPolicyTest, RetryableStatusesAndErrors) {
  for (int s : {408, 429, 500, 502, 503, 504}) EXPECT_TRUE(IsRetryableStatus(s)) << s;
  for (int s : {200, 400, 401, 403, 404, 409, 412, 501, 505}) EXPECT_FALSE(IsRetryableStatus(s));
  EXPECT_TRUE(IsRetryableError(Status::Unavailable("reset")));
  EXPECT_TRUE(IsRetryableError(Status::DeadlineExceeded("slow")));
  EXPECT_FALSE(IsRetryableError(Status::InvalidArgument("bad url")));
}

TEST(RetryPolicyTest, ShouldRetryStopsAtMaxAttempts) {
  RetryPolicy policy(RetryOptions{.max_attempts = 3});
  HttpClientResponse r;
  r.status = 503;
  EXPECT_TRUE(policy.ShouldRetry(1, &r, Status::Ok()));
  EXPECT_TRUE(policy.ShouldRetry(2, &r, Status::Ok()));
  EXPECT_FALSE(policy.ShouldRetry(3, &r, Status::Ok()));
  r.status = 403;
  EXPECT_FALSE(policy.ShouldRetry(1, &r, Status::Ok()));
  EXPECT_TRUE(policy.ShouldRetry(1, nullptr, Status::Unavailable("refused")));
}

TEST(RetryPolicyTest, BackoffGrowsExponentiallyUpToTheCap) {
  RetryPolicy policy(RetryOptions{.base = milliseconds(100), .cap = seconds(2)});
  policy.SetRandomForTesting([] { return 0.999999; });
  EXPECT_NEAR(ToSeconds(policy.Backoff(1)), 0.1, 1e-3);
  EXPECT_NEAR(ToSeconds(policy.Backoff(2)), 0.2, 1e-3);
  EXPECT_NEAR(ToSeconds(policy.Backoff(3)), 0.4, 1e-3);
  EXPECT_NEAR(ToSeconds(policy.Backoff(5)), 1.6, 1e-3);
  EXPECT_NEAR(ToSeconds(policy.Backoff(6)), 2.0, 1e-3);
  EXPECT_NEAR(ToSeconds(policy.Backoff(60)), 2.0, 1e-3);
  EXPECT_NEAR(ToSeconds(policy.Backoff(1000)), 2.0, 1e-3);
  policy.SetRandomForTesting([] { return 0.0; });
  EXPECT_EQ(policy.Backoff(4), Duration::zero());  // full jitter reaches zero
}

TEST(RetryPolicyTest, FullJitterStaysWithinBoundsAndSpreads) {
  RetryPolicy policy(RetryOptions{.base = milliseconds(100), .cap = seconds(10), .seed = 42});
  for (int retry = 1; retry <= 6; ++retry) {
    double ceiling = 0.1 * (1 << (retry - 1));
    double lo = 1e9, hi = 0, sum = 0;
    constexpr int kSamples = 2000;
    for (int i = 0; i < kSamples; ++i) {
      double d = ToSeconds(policy.Backoff(retry));
      ASSERT_GE(d, 0.0);
      ASSERT_LE(d, ceiling + 1e-9);
      lo = std::min(lo, d);
      hi = std::max(hi, d);
      sum += d;
    }
    // Uniform over [0, ceiling]: the samples cover the range and average about half of it.
    EXPECT_LT(lo, ceiling * 0.05) << retry;
    EXPECT_GT(hi, ceiling * 0.95) << retry;
    EXPECT_NEAR(sum / kSamples, ceiling / 2, ceiling * 0.05) << retry;
  }
}

TEST(RetryPolicyTest, SameSeedSameSchedule) {
  RetryPolicy a(RetryOptions{.seed = 7});
  RetryPolicy b(RetryOptions{.seed = 7});
  for (int i = 1; i < 10; ++i) EXPECT_EQ(a.Backoff(i), b.Backoff(i));
}

TEST(RetryAfterTest, DeltaSecondsAndMilliseconds) {
  WallTime now = WallTime(seconds(1'700'000'000));
  EXPECT_EQ(ParseRetryAfter(HttpHeaders{{"Retry-After", "7"}}, now), Duration(seconds(7)));
  EXPECT_EQ(ParseRetryAfter(HttpHeaders{{"retry-after", " 0 "}}, now), Duration::zero());
  EXPECT_EQ(ParseRetryAfter(HttpHeaders{{"x-ms-retry-after-ms", "1500"}}, now),
            Duration(milliseconds(1500)));
  // Azure's millisecond header is more precise and wins.
  EXPECT_EQ(
      ParseRetryAfter(HttpHeaders{{"Retry-After", "2"}, {"x-ms-retry-after-ms", "1200"}}, now),
      Duration(milliseconds(1200)));
  EXPECT_EQ(ParseRetryAfter(HttpHeaders{{"Retry-After", "1.5"}}, now),
            Duration(milliseconds(1500)));
  EXPECT_FALSE(ParseRetryAfter(HttpHeaders{{"Retry-After", "soon"}}, now).has_value());
  EXPECT_FALSE(ParseRetryAfter(HttpHeaders{{"Retry-After", "-3"}}, now).has_value());
  EXPECT_FALSE(ParseRetryAfter(HttpHeaders{}, now).has_value());
}

TEST(RetryAfterTest, HttpDateInAllThreeForms) {
  // 1994-11-06T08:49:37Z = 784111777.
  WallTime expected(seconds(784111777));
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), expected);
  EXPECT_EQ(ParseHttpDate("Sun Nov  6 08:49:37 1994"), expected);
  EXPECT_EQ(ParseHttpDate("Thu, 01 Jan 2026 00:00:00 GMT"), WallTime(seconds(1767225600)));
  EXPECT_EQ(ParseHttpDate("Sun, 29 Feb 2032 23:59:59 GMT"), WallTime(seconds(1961711999)));
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Foo 1994 08:49:37 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Nov 1994 25:49:37 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("yesterday").has_value());
}

TEST(RetryAfterTest, HttpDateIsRelativeToNow) {
  WallTime now(seconds(1767225600));  // Thu, 01 Jan 2026 00:00:00 GMT
  EXPECT_EQ(ParseRetryAfter(HttpHeaders{{"Retry-After", "Thu, 01 Jan 2026 00:00:12 GMT"}}, now),
            Duration(seconds(12)));
  EXPECT_EQ(ParseRetryAfter(HttpHeaders{{"Retry-After", "Wed, 31 Dec 2025 23:59:00 GMT"}}, now),
            Duration::zero());
}

TEST(RetryPolicyTest, DelayPrefersTheServerAndCapsIt) {
  RetryPolicy policy(RetryOptions{.max_retry_after = seconds(60)});
  HttpClientResponse r;
  r.status = 503;
  r.headers.Set("Retry-After", "9");
  EXPECT_EQ(policy.Delay(1, &r, WallTime()), Duration(seconds(9)));
  r.headers.Set("Retry-After", "3600");
  EXPECT_EQ(policy.Delay(1, &r, WallTime()), Duration(seconds(60)));
}

TEST(RetryPolicyTest, ThrottledWithoutRetryAfterStillBacksOff) {
  RetryPolicy policy(RetryOptions{
      .base = milliseconds(100), .cap = seconds(8), .throttle_floor = seconds(1), .seed = 3});
  policy.SetRandomForTesting([] { return 0.0; });  // the worst case for full jitter
  HttpClientResponse r;
  r.status = 429;
  // Never zero: at least half of max(floor, ceiling).
  EXPECT_EQ(policy.Delay(1, &r, WallTime()), Duration(milliseconds(500)));
  EXPECT_EQ(policy.Delay(6, &r, WallTime()), Duration(milliseconds(1600)));
  EXPECT_EQ(policy.Delay(10, &r, WallTime()), Duration(seconds(4)));
  policy.SetRandomForTesting([] { return 0.999999; });
  EXPECT_NEAR(ToSeconds(policy.Delay(10, &r, WallTime())), 8.0, 1e-3);
  // A 503 without Retry-After uses plain full jitter, which may be zero.
  r.status = 503;
  policy.SetRandomForTesting([] { return 0.0; });
  EXPECT_EQ(policy.Delay(1, &r, WallTime()), Duration::zero());
}

TEST(FakeClockTest, SleepAdvancesTimeAndIsRecorded) {
  FakeClock clock;
  TimePoint t0 = clock.Now();
  WallTime w0 = clock.WallNow();
  EXPECT_TRUE(clock.SleepFor(seconds(3)));
  EXPECT_TRUE(clock.SleepFor(milliseconds(250)));
  EXPECT_EQ(clock.Now() - t0, Duration(milliseconds(3250)));
  EXPECT_EQ(clock.WallNow() - w0, milliseconds(3250));
  ASSERT_EQ(clock.Sleeps().size(), 2u);
  EXPECT_EQ(clock.TotalSlept(), Duration(milliseconds(3250)));
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(clock.SleepFor(seconds(1), stop.get_token()));
  EXPECT_EQ(clock.Now() - t0, Duration(milliseconds(3250)));
}

TEST(RealClockTest, SleepWakesOnStop) {
  std::stop_source stop;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(milliseconds(20));
    stop.request_stop();
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(Clock::Real()->SleepFor(seconds(30), stop.get_token()));
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
  EXPECT_TRUE(Clock::Real()->SleepFor(milliseconds(1)));
}

}  // namespace
}  // namespace atg::azure
