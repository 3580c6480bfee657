// A small Prometheus registry: counters, gauges and histograms with label sets, rendered in the
// text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/).
//
// The hot path is lock-free: a series (one label-value set) is an object with atomic fields
// whose address never changes, so callers resolve it once with WithLabels() and keep the
// pointer. WithLabels itself takes a shared (reader) lock, and an exclusive one only the first
// time a label-value set is seen.
//
// Output is stable: families sorted by name, series sorted by label values, HELP and TYPE lines
// for each family, label values escaped (\\, \", \n).
//
// Thread-safety: every method of every class here may be called from any thread at once.
// Ownership: the Registry owns its families and series; references stay valid for the
// Registry's lifetime.
#ifndef ATG_SERVER_METRICS_H_
#define ATG_SERVER_METRICS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atg::azure {
class HttpMetrics;
struct HttpMetricsSnapshot;
}  // namespace atg::azure

namespace atg::server {

// A monotonically increasing value.
class Counter {
 public:
  // `v` must be >= 0 (negative values are ignored: a counter never goes down).
  void Inc(double v = 1) {
    if (v > 0) value_.fetch_add(v, std::memory_order_relaxed);
  }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// A value that goes up and down.
class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }
  void Dec(double v = 1) { value_.fetch_add(-v, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted into buckets with upper bounds `bounds` (ascending, finite; +Inf is
// implicit). Rendered as cumulative _bucket{le=...} series plus _sum and _count.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);

  struct Snapshot {
    std::vector<double> bounds;        // finite upper bounds
    std::vector<uint64_t> cumulative;  // bounds.size() + 1 entries; the last is +Inf == count
    double sum = 0;
    uint64_t count = 0;
  };
  // _count always equals the +Inf bucket, even while observations race with the snapshot.
  Snapshot Take() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // per bucket, not cumulative
  std::atomic<double> sum_{0};
};

enum class MetricType { kCounter, kGauge, kHistogram };

// One metric name with its label names, holding one series per label-value set.
template <typename T>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::function<std::unique_ptr<T>()> make)
      : name_(std::move(name)),
        help_(std::move(help)),
        label_names_(std::move(label_names)),
        make_(std::move(make)) {}

  // The series for `values` (one per label name, in order; missing values are "", extra ones
  // are dropped), created on first use. The reference is stable: keep it for the hot path.
  T& WithLabels(std::vector<std::string> values) {
    values.resize(label_names_.size());
    {
      std::shared_lock lock(mu_);
      auto it = series_.find(values);
      if (it != series_.end()) return *it->second;
    }
    std::unique_lock lock(mu_);
    auto& slot = series_[std::move(values)];
    if (!slot) slot = make_();
    return *slot;
  }

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // Calls fn(values, series) for each series, sorted by label values.
  template <typename Fn>
  void ForEach(Fn fn) const {
    std::shared_lock lock(mu_);
    for (const auto& [values, series] : series_) fn(values, *series);
  }

 private:
  std::string name_, help_;
  std::vector<std::string> label_names_;
  std::function<std::unique_ptr<T>()> make_;
  mutable std::shared_mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<T>> series_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

// A sample produced at render time by a collector (values owned elsewhere, e.g. the Azure HTTP
// counters).
struct CollectedSample {
  std::vector<std::string> label_values;
  double value = 0;
};

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Registration. Names must match [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]*
  // (not starting with "__", and "le" is reserved for histograms); each name is registered
  // once. A family without labels gets its single series at once, so it renders as 0 before
  // first use. Errors are kInvalidArgument (bad name) or kAlreadyExists.
  Result<CounterFamily*> AddCounter(std::string name, std::string help,
                                    std::vector<std::string> label_names = {});
  Result<GaugeFamily*> AddGauge(std::string name, std::string help,
                                std::vector<std::string> label_names = {});
  // `bounds`: ascending finite upper bounds, at least one.
  Result<HistogramFamily*> AddHistogram(std::string name, std::string help,
                                        std::vector<std::string> label_names,
                                        std::vector<double> bounds);
  // A counter or gauge family whose samples `collect` returns at each Render (called without
  // any registry lock held; it must be thread-safe and fast).
  Status AddCollector(std::string name, std::string help, MetricType type,
                      std::vector<std::string> label_names,
                      std::function<std::vector<CollectedSample>()> collect);
  // Runs before each Render (e.g. to refresh a gauge from its source).
  void AddRenderHook(std::function<void()> hook);

  // The whole registry in the text format 0.0.4 (Content-Type below).
  std::string Render() const;

  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Collector {
    std::string name, help;
    MetricType type;
    std::vector<std::string> label_names;
    std::function<std::vector<CollectedSample>()> collect;
  };
  Status CheckNew(const std::string& name, const std::vector<std::string>& label_names,
                  bool histogram) const;

  mutable std::mutex mu_;  // guards the maps below (not the series)
  std::map<std::string, std::unique_ptr<CounterFamily>> counters_;
  std::map<std::string, std::unique_ptr<GaugeFamily>> gauges_;
  std::map<std::string, std::unique_ptr<HistogramFamily>> histograms_;
  std::map<std::string, Collector> collectors_;
  std::vector<std::function<void()>> hooks_;
};

// Escapes a label value for the text format: backslash, double quote and newline.
std::string EscapeLabelValue(std::string_view v);
// A sample value: integers without a fraction, "+Inf", "-Inf", "NaN", else shortest round-trip.
std::string FormatMetricValue(double v);

// The metrics of `atg serve` (docs/metrics.md), registered on construction.
class ServiceMetrics {
 public:
  ServiceMetrics();
  ServiceMetrics(const ServiceMetrics&) = delete;
  ServiceMetrics& operator=(const ServiceMetrics&) = delete;
  ~ServiceMetrics();

  Registry& registry() { return registry_; }
  std::string Render() const { return registry_.Render(); }

  // One API request: `endpoint` is the route pattern ("/api/v1/jobs/{id}"), never the raw
  // path, so cardinality stays bounded.
  void RecordRequest(std::string_view endpoint, std::string_view method, int status,
                     double seconds);
  // A finished job; `error_type` "" for success (else counted in atg_job_failures_total).
  void RecordJob(std::string_view job_type, double seconds, std::string_view error_type);

  CounterFamily* api_requests = nullptr;            // {endpoint,method,status}
  HistogramFamily* api_request_duration = nullptr;  // {endpoint,method}
  Gauge* job_queue_depth = nullptr;
  HistogramFamily* job_execution_duration = nullptr;  // {job_type}
  CounterFamily* job_failures = nullptr;              // {job_type,error_type}
  Gauge* active_workers = nullptr;
  Counter* jobs_purged = nullptr;  // finished jobs removed by retention (ATG_JOB_RETENTION_DAYS)
  CounterFamily* auth_failures = nullptr;  // {reason}: missing_key, invalid_key

  // One failed authentication ("missing_key" or "invalid_key").
  void RecordAuthFailure(std::string_view reason);

  // Azure counters (atg_azure_requests_total{api,status}, atg_azure_throttled_total) are read
  // from HttpMetrics at render time. Attach a live HttpClient's counters while it works; on
  // Detach its final counts are folded into the totals, so the counters never go down.
  // `metrics` must stay alive until Detach. Returns a handle for Detach.
  int AttachAzure(const azure::HttpMetrics* metrics);
  void DetachAzure(int handle);
  // Adds counts of work that ran elsewhere (e.g. a snapshot a job reported when it finished).
  void AddAzureSnapshot(const azure::HttpMetricsSnapshot& snapshot);

 private:
  std::vector<CollectedSample> CollectAzureRequests() const;
  double CollectAzureThrottled() const;

  Registry registry_;
  struct AzureState;
  std::unique_ptr<AzureState> azure_;
};

// Default buckets: API latency (1 ms .. 10 s) and job duration (1 s .. 2 h).
const std::vector<double>& ApiLatencyBuckets();
const std::vector<double>& JobDurationBuckets();

}  // namespace atg::server

#endif  // ATG_SERVER_METRICS_H_
