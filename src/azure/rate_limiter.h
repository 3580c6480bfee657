// RateLimiter: client-side token buckets that keep ATG under Azure's published limits, so that
// a scan slows down before Azure throttles it instead of collecting 429s.
//
// One bucket per scope, created on first use:
//   ARM reads        per subscription (and "tenant" for tenant-level calls):
//                    250 tokens, refilled at 25/s; ARM writes: 200, refilled at 10/s.
//                    Synced from x-ms-ratelimit-remaining-subscription-reads,
//                    -subscription-global-reads, -tenant-reads (-writes for writes).
//   Resource Graph   per principal: 15 queries per 5 s window (refilled at 3/s).
//                    Synced from x-ms-user-quota-remaining and x-ms-user-quota-resets-after
//                    (hh:mm:ss): when the server reports its window, refill pauses until the
//                    window resets and the bucket is then full again.
//   Microsoft Graph  per tenant (for this application): 8,000 resource units per 10 s (refilled
//                    at 800/s); a request costs GraphRequestCost(). Synced from
//                    x-ms-resource-unit (the real charge) and x-ms-throttle-limit-percentage.
// Other services (identity, Key Vault, Storage) are not limited here.
//
// Headers only ever lower the local count ("the server says fewer remain than we think"); they
// never raise it, so stale or reordered responses cannot cause a burst. A 429 empties the bucket
// and, with a Retry-After, pauses its refill, so every thread using that scope waits together.
//
// Acquire reserves tokens at once and then waits out any deficit (the count may go negative),
// which serves concurrent callers in arrival order with one sleep each.
//
// Thread-safety: all methods may be called concurrently. The clock must outlive the limiter.
#ifndef ATG_AZURE_RATE_LIMITER_H_
#define ATG_AZURE_RATE_LIMITER_H_

#include <map>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "azure/api_kind.h"
#include "azure/http_transport.h"
#include "common/clock.h"
#include "common/status.h"

namespace atg::azure {

struct BucketConfig {
  double capacity = 1;
  double refill_per_second = 1;
};

struct RateLimitOptions {
  bool enabled = true;
  BucketConfig arm_reads{250, 25};
  BucketConfig arm_writes{200, 10};
  BucketConfig resource_graph{15, 3};
  BucketConfig graph{8000, 800};
};

struct RateScope {
  ApiKind kind = ApiKind::kArm;
  std::string key;  // subscription id, principal, or tenant id
  bool write = false;
};

class RateLimiter {
 public:
  RateLimiter(Clock* clock, RateLimitOptions options = {});

  // Takes `cost` tokens from the scope's bucket (a cost above the capacity is taken as the
  // capacity), waiting on the clock until they are available. Returns how long it waited, or
  // kCancelled (tokens given back) when `stop` is requested during the wait.
  Result<Duration> Acquire(const RateScope& scope, double cost, std::stop_token stop = {});

  // Feeds the quota headers of a response to the scope's bucket. `charged` is what Acquire took
  // for the request (Graph: compared with x-ms-resource-unit).
  void Observe(const RateScope& scope, const HttpHeaders& headers, double charged = 1);

  // Records a 429 on the scope: empties the bucket and pauses refill for `retry_after`.
  void OnThrottled(const RateScope& scope, std::optional<Duration> retry_after);

  // Tokens available now (negative while callers wait). 0 for unlimited scopes. For tests and
  // diagnostics.
  double Available(const RateScope& scope);

 private:
  struct Bucket {
    BucketConfig config;
    double tokens = 0;
    TimePoint last;
    TimePoint resume_at;          // no refill before this
    bool full_on_resume = false;  // the server's quota window resets at resume_at

    void Refill(TimePoint now);
    Duration WaitTime(TimePoint now) const;
  };

  Bucket* BucketFor(const RateScope& scope, TimePoint now);  // null: unlimited

  Clock* clock_;
  RateLimitOptions options_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
};

// Parses "hh:mm:ss" (also "d.hh:mm:ss" and fractional seconds) as used by
// x-ms-user-quota-resets-after.
std::optional<Duration> ParseTimeSpan(std::string_view text);

}  // namespace atg::azure

#endif  // ATG_AZURE_RATE_LIMITER_H_
