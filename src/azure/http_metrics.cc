#include "azure/http_metrics.h"

namespace atg::azure {

uint64_t HttpMetricsSnapshot::RequestsTo(ApiKind api) const {
  uint64_t n = 0;
  for (const Count& c : requests) {
    if (c.api == api) n += c.count;
  }
  return n;
}

uint64_t HttpMetricsSnapshot::TotalRequests() const {
  uint64_t n = 0;
  for (const Count& c : requests) n += c.count;
  return n;
}

void HttpMetrics::RecordAttempt(ApiKind api, int status, uint64_t bytes_sent,
                                uint64_t bytes_received) {
  int s = status >= 0 && status < kStatuses ? status : 0;
  requests_[static_cast<int>(api)][s].fetch_add(1, std::memory_order_relaxed);
  bytes_sent_.fetch_add(bytes_sent, std::memory_order_relaxed);
  bytes_received_.fetch_add(bytes_received, std::memory_order_relaxed);
}

void HttpMetrics::AddThrottleWait(Duration d) {
  if (d > Duration::zero()) {
    throttle_wait_ns_.fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count(),
                                std::memory_order_relaxed);
  }
}

HttpMetricsSnapshot HttpMetrics::Snapshot() const {
  HttpMetricsSnapshot s;
  for (int a = 0; a < kApiKindCount; ++a) {
    for (int st = 0; st < kStatuses; ++st) {
      uint64_t n = requests_[a][st].load(std::memory_order_relaxed);
      if (n != 0) s.requests.push_back({static_cast<ApiKind>(a), st, n});
    }
  }
  s.throttled = throttled_.load(std::memory_order_relaxed);
  s.throttle_wait_seconds = throttle_wait_ns_.load(std::memory_order_relaxed) / 1e9;
  s.retries = retries_.load(std::memory_order_relaxed);
  s.bytes_sent = bytes_sent_.load(std::memory_order_relaxed);
  s.bytes_received = bytes_received_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace atg::azure
