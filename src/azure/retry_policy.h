// RetryPolicy: when a failed Azure request is tried again, and after how long.
//
// Retryable: HTTP 408, 429, 500, 502, 503, 504, and transport errors (kUnavailable,
// kDeadlineExceeded). Every other status, 4xx in particular, fails at once.
//
// The wait before retry n (n = 1 for the first retry) is
//   * the server's instruction when it gives one: `x-ms-retry-after-ms` (milliseconds, Azure),
//     `Retry-After` in delta-seconds or as an HTTP-date, capped at max_retry_after;
//   * otherwise exponential back-off with full jitter: uniform in [0, min(cap, base * 2^(n-1))];
//   * except for a 429 without any instruction (Microsoft Graph sends these): throttling means
//     "slow down", so the wait never collapses to zero — it is uniform in [e/2, e] where
//     e = max(throttle_floor, min(cap, base * 2^(n-1))).
//
// Thread-safety: all methods may be called concurrently (the random source is locked).
#ifndef ATG_AZURE_RETRY_POLICY_H_
#define ATG_AZURE_RETRY_POLICY_H_

#include <functional>
#include <mutex>
#include <optional>
#include <random>

#include "azure/http_transport.h"
#include "common/clock.h"
#include "common/status.h"

namespace atg::azure {

struct RetryOptions {
  int max_attempts = 6;  // the first try included; 1 disables retries
  Duration base = std::chrono::milliseconds(500);
  Duration cap = std::chrono::seconds(30);
  Duration throttle_floor = std::chrono::seconds(1);
  // A server asking for longer than this is waited on for this long only, and then tried again.
  Duration max_retry_after = std::chrono::minutes(5);
  uint64_t seed = 0;  // 0: seed from std::random_device
};

bool IsRetryableStatus(int http_status);
bool IsRetryableError(const Status& transport_error);

// The server's requested wait from `x-ms-retry-after-ms`, `retry-after-ms` or `Retry-After`
// (delta-seconds or IMF-fixdate / RFC 850 / asctime HTTP-date, relative to `now`). A date in the
// past yields zero. nullopt when no such header is present or it cannot be parsed.
std::optional<Duration> ParseRetryAfter(const HttpHeaders& headers, WallTime now);

// Parses an HTTP-date in any of the three forms RFC 9110 allows.
std::optional<WallTime> ParseHttpDate(std::string_view text);

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options = {});

  const RetryOptions& options() const { return options_; }

  // Replaces the random source with one returning values in [0, 1) (tests).
  void SetRandomForTesting(std::function<double()> uniform01);

  // Whether attempt number `attempts_made` (1-based: how many tries have run) may be followed
  // by another, for the given outcome: a response or a transport error.
  bool ShouldRetry(int attempts_made, const HttpClientResponse* response,
                   const Status& transport_error) const;

  // The wait before retry number `retry` (1-based) after `response` (null after a transport
  // error). `now` is the wall clock, for HTTP-date Retry-After values.
  Duration Delay(int retry, const HttpClientResponse* response, WallTime now);

  // The plain jittered exponential back-off for retry number `retry` (1-based).
  Duration Backoff(int retry);

 private:
  Duration Ceiling(int retry) const;
  double Uniform01();

  RetryOptions options_;
  std::mutex mu_;
  std::mt19937_64 rng_;
  std::function<double()> random_for_testing_;
};

}  // namespace atg::azure

#endif  // ATG_AZURE_RETRY_POLICY_H_
