#include "server/rate_limiter.h"

#include <gtest/gtest.h>

namespace atg::server {
namespace {

TEST(RequestRateLimiterTest, BurstThenRefillPerKey) {
  RequestRateLimiter limiter(RateLimitOptions{60, 3});  // one token a second
  auto t0 = RequestRateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) {
    RateDecision d = limiter.Take("k1", t0);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.limit, 3);
    EXPECT_EQ(d.remaining, 2 - i);
  }
  RateDecision refused = limiter.Take("k1", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.reset_seconds, 3);
  EXPECT_TRUE(limiter.Take("k2", t0).allowed);  // separate bucket
  EXPECT_TRUE(limiter.Take("k1", t0 + std::chrono::milliseconds(1000)).allowed);
  EXPECT_FALSE(limiter.Take("k1", t0 + std::chrono::milliseconds(1100)).allowed);
}

TEST(RequestRateLimiterTest, SettingsAndDisabled) {
  auto o = RateLimitOptions::FromSettings(Settings::FromMaps({}, {}));
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->per_minute, 600);
  EXPECT_EQ(o->burst, 100);
  auto bad = RateLimitOptions::FromSettings(
      Settings::FromMaps({{"ATG_RATE_LIMIT_PER_MINUTE", "lots"}}, {}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("ATG_RATE_LIMIT_PER_MINUTE"), std::string::npos);
  RequestRateLimiter off(RateLimitOptions{0, 1});
  EXPECT_FALSE(off.enabled());
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(off.Take("k").allowed);
}

}  // namespace
}  // namespace atg::server
