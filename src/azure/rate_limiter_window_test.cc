// Resource Graph reports its quota window on every answer; a window with queries left must not
// hold anyone back.
#include <gtest/gtest.h>

#include "azure/rate_limiter.h"
#include "common/clock.h"

namespace atg::azure {
namespace {

TEST(RateLimiterWindowTest, QueriesLeftInTheWindowGoAtOnce) {
  FakeClock clock;
  RateLimiter limiter(&clock);
  RateScope arg{ApiKind::kResourceGraph, "principal-1", false};
  for (int i = 0; i < 10; ++i) {
    auto waited = limiter.Acquire(arg, 1);
    ASSERT_TRUE(waited.ok());
    EXPECT_EQ(*waited, Duration::zero()) << "query " << i;
    limiter.Observe(arg, HttpHeaders{{"x-ms-user-quota-remaining", std::to_string(14 - i)},
                                     {"x-ms-user-quota-resets-after", "00:00:05"}});
  }
}

}  // namespace
}  // namespace atg::azure
