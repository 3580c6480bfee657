// Per-API-key request rate limits of `atg serve`: one token bucket per key id, refilled at
// `per_minute` / 60 tokens a second up to `burst`. Configured by ATG_RATE_LIMIT_PER_MINUTE
// (default 600; 0 disables) and ATG_RATE_LIMIT_BURST (default: per_minute / 6, at least 1).
// A refused request gets 429 with Retry-After; every limited response carries the IETF draft
// headers RateLimit-Limit / RateLimit-Remaining / RateLimit-Reset.
//
// Thread-safety: Take may be called from any thread at once (one mutex, held for a few
// arithmetic operations).
#ifndef ATG_SERVER_RATE_LIMITER_H_
#define ATG_SERVER_RATE_LIMITER_H_

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/config.h"
#include "common/status.h"

namespace atg::server {

struct RateLimitOptions {
  int64_t per_minute = 600;  // 0: no limit
  int64_t burst = 100;

  // From ATG_RATE_LIMIT_PER_MINUTE / ATG_RATE_LIMIT_BURST; errors name the variable.
  static Result<RateLimitOptions> FromSettings(const Settings& settings);
};

struct RateDecision {
  bool allowed = true;
  int64_t limit = 0;                // the burst (RateLimit-Limit)
  int64_t remaining = 0;            // whole tokens left after this request
  int64_t reset_seconds = 0;        // until the bucket is full again
  int64_t retry_after_seconds = 0;  // when refused: until one token is available (>= 1)
};

class RequestRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RequestRateLimiter(RateLimitOptions options);

  bool enabled() const { return options_.per_minute > 0; }

  // Takes one token from `key_id`'s bucket at time `now`.
  RateDecision Take(std::string_view key_id, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point last;
  };
  const RateLimitOptions options_;
  const double rate_per_second_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace atg::server

#endif  // ATG_SERVER_RATE_LIMITER_H_
