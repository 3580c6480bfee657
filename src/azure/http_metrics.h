// HttpMetrics: counters of every outbound Azure request, for the scan summary (requests per
// API, throttled, throttle_wait_seconds) and Prometheus (atg_azure_requests_total{api,status},
// atg_azure_throttled_total).
//
// Thread-safety: lock-free atomics; Record* and Snapshot may run concurrently. A snapshot is
// consistent per counter, not across counters.
#ifndef ATG_AZURE_HTTP_METRICS_H_
#define ATG_AZURE_HTTP_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "azure/api_kind.h"
#include "common/clock.h"

namespace atg::azure {

struct HttpMetricsSnapshot {
  struct Count {
    ApiKind api;
    int status;  // 0: no HTTP response (network error or timeout)
    uint64_t count;
  };
  std::vector<Count> requests;       // non-zero counts only, by api then status
  uint64_t throttled = 0;            // 429 responses received
  double throttle_wait_seconds = 0;  // time spent waiting because of limits (local or 429)
  uint64_t retries = 0;
  uint64_t bytes_sent = 0;      // request bodies
  uint64_t bytes_received = 0;  // response bodies (decoded)

  // Attempts sent to `api` (every status, network errors included).
  uint64_t RequestsTo(ApiKind api) const;
  uint64_t TotalRequests() const;
};

class HttpMetrics {
 public:
  HttpMetrics() = default;
  HttpMetrics(const HttpMetrics&) = delete;
  HttpMetrics& operator=(const HttpMetrics&) = delete;

  // One attempt that ended with `status` (0 for no response).
  void RecordAttempt(ApiKind api, int status, uint64_t bytes_sent, uint64_t bytes_received);
  void RecordThrottled() { throttled_.fetch_add(1, std::memory_order_relaxed); }
  void RecordRetry() { retries_.fetch_add(1, std::memory_order_relaxed); }
  void AddThrottleWait(Duration d);

  HttpMetricsSnapshot Snapshot() const;

 private:
  static constexpr int kStatuses = 600;  // 0..599; anything else is counted as 0
  std::array<std::array<std::atomic<uint64_t>, kStatuses>, kApiKindCount> requests_{};
  std::atomic<uint64_t> throttled_{0};
  std::atomic<int64_t> throttle_wait_ns_{0};
  std::atomic<uint64_t> retries_{0};
  std::atomic<uint64_t> bytes_sent_{0};
  std::atomic<uint64_t> bytes_received_{0};
};

}  // namespace atg::azure

#endif  // ATG_AZURE_HTTP_METRICS_H_
