#include "server/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "azure/http_metrics.h"

namespace atg::server {
namespace {

bool ValidMetricName(std::string_view n) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool ValidLabelName(std::string_view n) {
  if (n.empty() || n.substr(0, 2) == "__") return false;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string EscapeHelp(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view TypeName(MetricType t) {
  switch (t) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// `{a="x",b="y"}` (plus an extra label, e.g. le, when given), or "" without labels.
void AppendLabels(std::string* out, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view extra_name = {},
                  std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  *out += '{';
  bool first = true;
  for (size_t i = 0; i < names.size(); ++i) {
    if (!first) *out += ',';
    first = false;
    *out += names[i];
    *out += "=\"";
    *out += EscapeLabelValue(i < values.size() ? values[i] : std::string());
    *out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) *out += ',';
    *out += extra_name;
    *out += "=\"";
    *out += extra_value;
    *out += '"';
  }
  *out += '}';
}

void AppendHeader(std::string* out, const std::string& name, const std::string& help,
                  MetricType type) {
  *out += "# HELP ";
  *out += name;
  *out += ' ';
  *out += EscapeHelp(help);
  *out += "\n# TYPE ";
  *out += name;
  *out += ' ';
  *out += TypeName(type);
  *out += '\n';
}

void AppendSample(std::string* out, std::string_view name, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, double value,
                  std::string_view extra_name = {}, std::string_view extra_value = {}) {
  *out += name;
  AppendLabels(out, names, values, extra_name, extra_value);
  *out += ' ';
  *out += FormatMetricValue(value);
  *out += '\n';
}

}  // namespace

std::string EscapeLabelValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatMetricValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    return std::to_string(static_cast<int64_t>(v));
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double v) {
  // First bound >= v: Prometheus buckets are "less than or equal".
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Take() const {
  Snapshot s;
  s.bounds = bounds_;
  s.cumulative.resize(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    total += counts_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = total;
  }
  s.count = total;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

Status Registry::CheckNew(const std::string& name, const std::vector<std::string>& label_names,
                          bool histogram) const {
  if (!ValidMetricName(name)) {
    return Status::InvalidArgument("metric name '" + name +
                                   "' is not valid: use [a-zA-Z_:][a-zA-Z0-9_:]*");
  }
  for (size_t i = 0; i < label_names.size(); ++i) {
    const std::string& l = label_names[i];
    if (!ValidLabelName(l) || (histogram && l == "le")) {
      return Status::InvalidArgument("label name '" + l + "' of metric '" + name +
                                     "' is not valid: use [a-zA-Z_][a-zA-Z0-9_]*, not starting "
                                     "with __ (and not 'le' on a histogram)");
    }
    for (size_t j = 0; j < i; ++j) {
      if (label_names[j] == l) {
        return Status::InvalidArgument("metric '" + name + "' repeats label '" + l + "'");
      }
    }
  }
  if (counters_.count(name) || gauges_.count(name) || histograms_.count(name) ||
      collectors_.count(name)) {
    return Status::AlreadyExists("metric '" + name + "' is already registered");
  }
  return Status::Ok();
}

Result<CounterFamily*> Registry::AddCounter(std::string name, std::string help,
                                            std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  ATG_RETURN_IF_ERROR(CheckNew(name, label_names, false));
  bool unlabelled = label_names.empty();
  auto family = std::make_unique<CounterFamily>(name, std::move(help), std::move(label_names),
                                                [] { return std::make_unique<Counter>(); });
  if (unlabelled) family->WithLabels({});
  CounterFamily* raw = family.get();
  counters_[name] = std::move(family);
  return raw;
}

Result<GaugeFamily*> Registry::AddGauge(std::string name, std::string help,
                                        std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  ATG_RETURN_IF_ERROR(CheckNew(name, label_names, false));
  bool unlabelled = label_names.empty();
  auto family = std::make_unique<GaugeFamily>(name, std::move(help), std::move(label_names),
                                              [] { return std::make_unique<Gauge>(); });
  if (unlabelled) family->WithLabels({});
  GaugeFamily* raw = family.get();
  gauges_[name] = std::move(family);
  return raw;
}

Result<HistogramFamily*> Registry::AddHistogram(std::string name, std::string help,
                                                std::vector<std::string> label_names,
                                                std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  ATG_RETURN_IF_ERROR(CheckNew(name, label_names, true));
  if (bounds.empty()) {
    return Status::InvalidArgument("histogram '" + name + "' needs at least one bucket bound");
  }
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
      return Status::InvalidArgument("histogram '" + name +
                                     "' bucket bounds must be finite and strictly ascending");
    }
  }
  bool unlabelled = label_names.empty();
  auto family =
      std::make_unique<HistogramFamily>(name, std::move(help), std::move(label_names),
                                        [bounds] { return std::make_unique<Histogram>(bounds); });
  if (unlabelled) family->WithLabels({});
  HistogramFamily* raw = family.get();
  histograms_[name] = std::move(family);
  return raw;
}

Status Registry::AddCollector(std::string name, std::string help, MetricType type,
                              std::vector<std::string> label_names,
                              std::function<std::vector<CollectedSample>()> collect) {
  std::lock_guard lock(mu_);
  if (type == MetricType::kHistogram) {
    return Status::InvalidArgument("collector '" + name + "': only counters and gauges");
  }
  ATG_RETURN_IF_ERROR(CheckNew(name, label_names, false));
  collectors_[name] =
      Collector{name, std::move(help), type, std::move(label_names), std::move(collect)};
  return Status::Ok();
}

void Registry::AddRenderHook(std::function<void()> hook) {
  std::lock_guard lock(mu_);
  hooks_.push_back(std::move(hook));
}

std::string Registry::Render() const {
  // Copy what is needed under the lock; run hooks and collectors outside it (they may be slow
  // or take their own locks).
  std::vector<std::function<void()>> hooks;
  std::vector<const Collector*> collectors;
  {
    std::lock_guard lock(mu_);
    hooks = hooks_;
    for (const auto& [name, c] : collectors_) collectors.push_back(&c);
  }
  for (const auto& h : hooks) h();
  std::map<std::string, std::vector<CollectedSample>> collected;
  for (const Collector* c : collectors) {
    auto samples = c->collect();
    std::sort(samples.begin(), samples.end(),
              [](const CollectedSample& a, const CollectedSample& b) {
                return a.label_values < b.label_values;
              });
    collected[c->name] = std::move(samples);
  }

  // Every family by name, whatever its kind.
  std::lock_guard lock(mu_);
  std::map<std::string_view, std::function<void(std::string*)>> by_name;
  for (const auto& [name, f] : counters_) {
    const CounterFamily* fam = f.get();
    by_name[name] = [fam](std::string* out) {
      AppendHeader(out, fam->name(), fam->help(), MetricType::kCounter);
      fam->ForEach([&](const std::vector<std::string>& values, const Counter& c) {
        AppendSample(out, fam->name(), fam->label_names(), values, c.Value());
      });
    };
  }
  for (const auto& [name, f] : gauges_) {
    const GaugeFamily* fam = f.get();
    by_name[name] = [fam](std::string* out) {
      AppendHeader(out, fam->name(), fam->help(), MetricType::kGauge);
      fam->ForEach([&](const std::vector<std::string>& values, const Gauge& g) {
        AppendSample(out, fam->name(), fam->label_names(), values, g.Value());
      });
    };
  }
  for (const auto& [name, f] : histograms_) {
    const HistogramFamily* fam = f.get();
    by_name[name] = [fam](std::string* out) {
      AppendHeader(out, fam->name(), fam->help(), MetricType::kHistogram);
      const std::string bucket = fam->name() + "_bucket";
      fam->ForEach([&](const std::vector<std::string>& values, const Histogram& h) {
        Histogram::Snapshot s = h.Take();
        for (size_t i = 0; i < s.bounds.size(); ++i) {
          AppendSample(out, bucket, fam->label_names(), values,
                       static_cast<double>(s.cumulative[i]), "le", FormatMetricValue(s.bounds[i]));
        }
        AppendSample(out, bucket, fam->label_names(), values,
                     static_cast<double>(s.cumulative.back()), "le", "+Inf");
        AppendSample(out, fam->name() + "_sum", fam->label_names(), values, s.sum);
        AppendSample(out, fam->name() + "_count", fam->label_names(), values,
                     static_cast<double>(s.count));
      });
    };
  }
  for (const Collector* c : collectors) {
    const std::vector<CollectedSample>* samples = &collected[c->name];
    by_name[c->name] = [c, samples](std::string* out) {
      AppendHeader(out, c->name, c->help, c->type);
      for (const CollectedSample& s : *samples) {
        AppendSample(out, c->name, c->label_names, s.label_values, s.value);
      }
    };
  }
  std::string out;
  out.reserve(4096);
  for (const auto& [name, render] : by_name) render(&out);
  return out;
}

const std::vector<double>& ApiLatencyBuckets() {
  static const std::vector<double> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                               0.25,  0.5,    1,     2.5,  5,     10};
  return kBuckets;
}

const std::vector<double>& JobDurationBuckets() {
  static const std::vector<double> kBuckets = {1,   5,   15,   30,   60,   120,
                                               300, 600, 1200, 1800, 3600, 7200};
  return kBuckets;
}

struct ServiceMetrics::AzureState {
  mutable std::mutex mu;
  int next_handle = 1;
  std::map<int, const azure::HttpMetrics*> live;
  // Folded counts of detached sources: (api, status) -> count.
  std::map<std::pair<int, int>, uint64_t> requests;
  uint64_t throttled = 0;

  void Add(const azure::HttpMetricsSnapshot& s) {
    for (const auto& c : s.requests) {
      requests[{static_cast<int>(c.api), c.status}] += c.count;
    }
    throttled += s.throttled;
  }
};

ServiceMetrics::ServiceMetrics() : azure_(std::make_unique<AzureState>()) {
  // The names are constants checked by the unit tests, so registration cannot fail here.
  api_requests = registry_
                     .AddCounter("atg_api_requests_total", "HTTP API requests served.",
                                 {"endpoint", "method", "status"})
                     .value();
  api_request_duration =
      registry_
          .AddHistogram("atg_api_request_duration_seconds",
                        "Time from a request's arrival to its response, in seconds.",
                        {"endpoint", "method"}, ApiLatencyBuckets())
          .value();
  job_queue_depth =
      &registry_.AddGauge("atg_job_queue_depth", "Jobs waiting in the queue (state pending).")
           .value()
           ->WithLabels({});
  job_execution_duration = registry_
                               .AddHistogram("atg_job_execution_duration_seconds",
                                             "Run time of finished jobs (any outcome), in seconds.",
                                             {"job_type"}, JobDurationBuckets())
                               .value();
  job_failures = registry_
                     .AddCounter("atg_job_failures_total", "Jobs that ended failed or cancelled.",
                                 {"job_type", "error_type"})
                     .value();
  active_workers = &registry_.AddGauge("atg_active_workers", "Workers currently running a job.")
                        .value()
                        ->WithLabels({});
  jobs_purged = &registry_
                     .AddCounter("atg_jobs_purged_total",
                                 "Finished jobs removed by job retention (ATG_JOB_RETENTION_DAYS), "
                                 "with their events and artifacts.")
                     .value()
                     ->WithLabels({});
  auth_failures = registry_
                      .AddCounter("atg_auth_failures_total",
                                  "Requests refused because their API key was missing or not "
                                  "valid.",
                                  {"reason"})
                      .value();
  (void)registry_.AddCollector("atg_azure_requests_total",
                               "Requests sent to Azure APIs, by API and HTTP status (0: no "
                               "response).",
                               MetricType::kCounter, {"api", "status"},
                               [this] { return CollectAzureRequests(); });
  (void)registry_.AddCollector(
      "atg_azure_throttled_total", "Azure responses with status 429 (throttled).",
      MetricType::kCounter, {}, [this] {
        return std::vector<CollectedSample>{CollectedSample{{}, CollectAzureThrottled()}};
      });
}

ServiceMetrics::~ServiceMetrics() = default;

void ServiceMetrics::RecordRequest(std::string_view endpoint, std::string_view method, int status,
                                   double seconds) {
  api_requests->WithLabels({std::string(endpoint), std::string(method), std::to_string(status)})
      .Inc();
  api_request_duration->WithLabels({std::string(endpoint), std::string(method)}).Observe(seconds);
}

void ServiceMetrics::RecordJob(std::string_view job_type, double seconds,
                               std::string_view error_type) {
  job_execution_duration->WithLabels({std::string(job_type)}).Observe(seconds);
  if (!error_type.empty()) {
    job_failures->WithLabels({std::string(job_type), std::string(error_type)}).Inc();
  }
}

int ServiceMetrics::AttachAzure(const azure::HttpMetrics* metrics) {
  std::lock_guard lock(azure_->mu);
  int h = azure_->next_handle++;
  azure_->live[h] = metrics;
  return h;
}

void ServiceMetrics::DetachAzure(int handle) {
  std::lock_guard lock(azure_->mu);
  auto it = azure_->live.find(handle);
  if (it == azure_->live.end()) return;
  azure_->Add(it->second->Snapshot());
  azure_->live.erase(it);
}

void ServiceMetrics::AddAzureSnapshot(const azure::HttpMetricsSnapshot& snapshot) {
  std::lock_guard lock(azure_->mu);
  azure_->Add(snapshot);
}

std::vector<CollectedSample> ServiceMetrics::CollectAzureRequests() const {
  std::map<std::pair<int, int>, uint64_t> totals;
  {
    std::lock_guard lock(azure_->mu);
    totals = azure_->requests;
    for (const auto& [h, m] : azure_->live) {
      for (const auto& c : m->Snapshot().requests) {
        totals[{static_cast<int>(c.api), c.status}] += c.count;
      }
    }
  }
  std::vector<CollectedSample> out;
  out.reserve(totals.size());
  for (const auto& [key, count] : totals) {
    out.push_back(
        CollectedSample{{std::string(azure::ApiKindName(static_cast<azure::ApiKind>(key.first))),
                         std::to_string(key.second)},
                        static_cast<double>(count)});
  }
  return out;
}

double ServiceMetrics::CollectAzureThrottled() const {
  std::lock_guard lock(azure_->mu);
  uint64_t total = azure_->throttled;
  for (const auto& [h, m] : azure_->live) total += m->Snapshot().throttled;
  return static_cast<double>(total);
}

void ServiceMetrics::RecordAuthFailure(std::string_view reason) {
  auth_failures->WithLabels({std::string(reason)}).Inc();
}

}  // namespace atg::server
