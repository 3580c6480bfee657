#include "server/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace atg::server {

Result<RateLimitOptions> RateLimitOptions::FromSettings(const Settings& settings) {
  RateLimitOptions o;
  auto per_minute = settings.GetInt("ATG_RATE_LIMIT_PER_MINUTE", 600, 0, 10'000'000);
  if (!per_minute.ok()) return per_minute.status();
  o.per_minute = *per_minute;
  auto burst = settings.GetInt("ATG_RATE_LIMIT_BURST", std::max<int64_t>(1, o.per_minute / 6), 1,
                               10'000'000);
  if (!burst.ok()) return burst.status();
  o.burst = *burst;
  return o;
}

RequestRateLimiter::RequestRateLimiter(RateLimitOptions options)
    : options_(options), rate_per_second_(static_cast<double>(options.per_minute) / 60.0) {}

RateDecision RequestRateLimiter::Take(std::string_view key_id, Clock::time_point now) {
  RateDecision d;
  d.limit = options_.burst;
  if (!enabled()) {
    d.remaining = options_.burst;
    return d;
  }
  const double cap = static_cast<double>(options_.burst);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(std::string(key_id));
  if (it == buckets_.end()) {
    it = buckets_.emplace(std::string(key_id), Bucket{cap, now}).first;
  }
  Bucket& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.last).count();
  if (elapsed > 0) {
    b.tokens = std::min(cap, b.tokens + elapsed * rate_per_second_);
    b.last = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    d.allowed = true;
  } else {
    d.allowed = false;
    d.retry_after_seconds =
        std::max<int64_t>(1, static_cast<int64_t>(std::ceil((1.0 - b.tokens) / rate_per_second_)));
  }
  d.remaining = static_cast<int64_t>(std::floor(b.tokens));
  d.reset_seconds = static_cast<int64_t>(std::ceil((cap - b.tokens) / rate_per_second_));
  return d;
}

}  // namespace atg::server
