// Azure's request limits as the simulator enforces them with `--throttle realistic`
// (DESIGN.md §3.5):
//   ARM            token buckets per (subscription, principal): reads 250 refilled at 25/s,
//                  writes and deletes 200 refilled at 10/s; tenant-level requests (no
//                  subscription in the path) per principal. Every ARM response carries
//                  x-ms-ratelimit-remaining-{subscription|tenant}-{reads|writes|deletes}.
//   Resource Graph 15 queries per 5-second window per principal; every response carries
//                  x-ms-user-quota-remaining and x-ms-user-quota-resets-after (hh:mm:ss).
//   Microsoft Graph 8,000 resource units per 10 s per (app, tenant), as a bucket refilled at
//                  800 RU/s; a request's cost comes from GraphRequestCost (Graph's published
//                  table). A throttled response carries Retry-After, except one in four (chosen
//                  deterministically), as Graph really does.
// With `--throttle off` nothing is throttled but the headers are still sent.
//
// Thread-safety: every method may be called from any thread. Buckets live in a sharded map,
// one mutex per shard, so concurrent requests for different principals rarely contend.
#ifndef ATG_SIM_THROTTLE_H_
#define ATG_SIM_THROTTLE_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "net/http_message.h"
#include "sim/error_shapes.h"

namespace atg::sim {

enum class ThrottleMode { kOff, kRealistic };

// "realistic" or "off" (any case); the error names the accepted values.
Result<ThrottleMode> ParseThrottleMode(std::string_view text);

// Azure's published numbers. Tests may shrink them.
struct ThrottleLimits {
  double arm_read_capacity = 250;
  double arm_read_refill_per_second = 25;
  double arm_write_capacity = 200;
  double arm_write_refill_per_second = 10;
  double arm_delete_capacity = 200;
  double arm_delete_refill_per_second = 10;
  int resource_graph_quota = 15;
  std::chrono::seconds resource_graph_window{5};
  double graph_resource_units = 8000;
  double graph_refill_per_second = 800;
  // One throttled Graph response in this many carries no Retry-After.
  int graph_no_retry_after_one_in = 4;
};

struct ThrottleDecision {
  bool allowed = true;
  // When not allowed: how long the caller must wait (whole seconds, at least 1).
  std::chrono::seconds retry_after{0};
  // Whether the 429 carries Retry-After (Graph sometimes omits it).
  bool send_retry_after = true;
  // The rate-limit headers this API sends on every response, throttled or not.
  std::vector<std::pair<std::string, std::string>> headers;
};

class Throttle {
 public:
  // `clock` (not owned; must outlive the throttle) refills the buckets and moves the windows;
  // tests pass a FakeClock and advance it by hand.
  explicit Throttle(ThrottleMode mode, ThrottleLimits limits = {}, Clock* clock = Clock::Real());
  ~Throttle();
  Throttle(const Throttle&) = delete;
  Throttle& operator=(const Throttle&) = delete;

  ThrottleMode mode() const { return mode_; }

  // An ARM request. `subscription` empty means a tenant-level request. GET/HEAD are reads,
  // DELETE deletes, anything else a write.
  ThrottleDecision Arm(std::string_view method, std::string_view subscription,
                       std::string_view principal);
  // One Resource Graph query.
  ThrottleDecision ResourceGraph(std::string_view principal);
  // One Microsoft Graph request of `cost` resource units by `app` in `tenant`.
  ThrottleDecision Graph(std::string_view tenant, std::string_view app, int cost);

  // The 429 in the shape of `surface` for a refused decision, with its headers.
  static net::HttpResponse TooManyRequests(ApiSurface surface, const ThrottleDecision& decision,
                                           std::string_view subscription,
                                           std::string_view principal);

 private:
  struct Shard;
  // Takes `cost` tokens from the bucket `key`; returns the tokens left (negative: refused, and
  // then nothing is taken) and fills `wait` with the time until enough tokens exist.
  double TakeFromBucket(const std::string& key, double capacity, double refill_per_second,
                        double cost, std::chrono::duration<double>* wait);
  Shard& ShardFor(const std::string& key);
  std::chrono::steady_clock::time_point Now() const;

  ThrottleMode mode_;
  ThrottleLimits limits_;
  Clock* clock_;
  std::unique_ptr<Shard[]> shards_;
  std::atomic<uint64_t> graph_throttled_{0};
};

// The resource-unit cost of a Microsoft Graph request as common/graph_cost.h prices it (the
// table the client uses too); a JSON batch (POST /v1.0/$batch) costs the sum of its requests.
int GraphRequestCost(const net::HttpRequest& request);

// "hh:mm:ss" for a duration (Resource Graph's x-ms-user-quota-resets-after).
std::string FormatHms(std::chrono::seconds s);

}  // namespace atg::sim

#endif  // ATG_SIM_THROTTLE_H_
