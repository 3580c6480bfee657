#include "server/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "azure/http_metrics.h"

namespace atg::server {
namespace {

TEST(MetricsTest, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue("plain"), "plain");
  EXPECT_EQ(EscapeLabelValue("a\"b"), "a\\\"b");
  EXPECT_EQ(EscapeLabelValue("back\\slash"), "back\\\\slash");
  EXPECT_EQ(EscapeLabelValue("two\nlines"), "two\\nlines");
}

TEST(MetricsTest, FormatsValues) {
  EXPECT_EQ(FormatMetricValue(0), "0");
  EXPECT_EQ(FormatMetricValue(42), "42");
  EXPECT_EQ(FormatMetricValue(-3), "-3");
  EXPECT_EQ(FormatMetricValue(0.25), "0.25");
  EXPECT_EQ(FormatMetricValue(0.1), "0.1");
  EXPECT_EQ(FormatMetricValue(1.0 / 0.0), "+Inf");
  EXPECT_EQ(FormatMetricValue(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(FormatMetricValue(0.0 / 0.0), "NaN");
}

TEST(MetricsTest, RendersCounterWithEscapedLabelsSorted) {
  Registry r;
  auto* c = r.AddCounter("x_total", "Things.\nSecond line \\ end.", {"k"}).value();
  c->WithLabels({"b"}).Inc(2);
  c->WithLabels({"a\"q"}).Inc();
  EXPECT_EQ(r.Render(),
            "# HELP x_total Things.\\nSecond line \\\\ end.\n"
            "# TYPE x_total counter\n"
            "x_total{k=\"a\\\"q\"} 1\n"
            "x_total{k=\"b\"} 2\n");
}

TEST(MetricsTest, CounterNeverGoesDown) {
  Counter c;
  c.Inc(3);
  c.Inc(-5);
  EXPECT_EQ(c.Value(), 3);
}

TEST(MetricsTest, FamiliesSortedByNameAndUnlabelledRendersZero) {
  Registry r;
  ASSERT_TRUE(r.AddGauge("zz", "Z.").ok());
  ASSERT_TRUE(r.AddCounter("aa_total", "A.").ok());
  std::string out = r.Render();
  EXPECT_EQ(out,
            "# HELP aa_total A.\n# TYPE aa_total counter\naa_total 0\n"
            "# HELP zz Z.\n# TYPE zz gauge\nzz 0\n");
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithInf) {
  Registry r;
  auto* h = r.AddHistogram("lat_seconds", "Latency.", {"ep"}, {0.1, 1}).value();
  auto& s = h->WithLabels({"/x"});
  s.Observe(0.05);
  s.Observe(0.1);  // le is inclusive
  s.Observe(0.5);
  s.Observe(7);
  EXPECT_EQ(r.Render(),
            "# HELP lat_seconds Latency.\n# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{ep=\"/x\",le=\"0.1\"} 2\n"
            "lat_seconds_bucket{ep=\"/x\",le=\"1\"} 3\n"
            "lat_seconds_bucket{ep=\"/x\",le=\"+Inf\"} 4\n"
            "lat_seconds_sum{ep=\"/x\"} 7.65\n"
            "lat_seconds_count{ep=\"/x\"} 4\n");
}

TEST(MetricsTest, RejectsBadNamesAndDuplicates) {
  Registry r;
  EXPECT_EQ(r.AddCounter("1bad", "x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.AddCounter("ok_total", "x", {"__reserved"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(r.AddCounter("ok_total", "x", {"a", "a"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(r.AddHistogram("h", "x", {"le"}, {1}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.AddHistogram("h", "x", {}, {2, 1}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.AddHistogram("h", "x", {}, {}).status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(r.AddCounter("ok_total", "x").ok());
  EXPECT_EQ(r.AddGauge("ok_total", "x").status().code(), StatusCode::kAlreadyExists);
}

TEST(MetricsTest, LabelValuesArePaddedOrTruncated) {
  Registry r;
  auto* c = r.AddCounter("p_total", "P.", {"a", "b"}).value();
  c->WithLabels({"1"}).Inc();
  c->WithLabels({"1", "", "extra"}).Inc();
  EXPECT_NE(r.Render().find("p_total{a=\"1\",b=\"\"} 2\n"), std::string::npos);
}

TEST(MetricsTest, ConcurrentUpdatesAreAllCounted) {
  Registry r;
  auto* c = r.AddCounter("c_total", "C.", {"t"}).value();
  auto* h = r.AddHistogram("h_seconds", "H.", {}, {0.5}).value();
  constexpr int kThreads = 4, kPer = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPer; ++i) {
        c->WithLabels({std::to_string(i % 3)}).Inc();
        h->WithLabels({}).Observe(t % 2 ? 0.25 : 1);
        if (i % 5000 == 0) (void)r.Render();  // rendering races with updates
      }
    });
  }
  for (auto& t : threads) t.join();
  double total = 0;
  c->ForEach([&](const std::vector<std::string>&, const Counter& s) { total += s.Value(); });
  EXPECT_EQ(total, kThreads * kPer);
  Histogram::Snapshot s = h->WithLabels({}).Take();
  EXPECT_EQ(s.count, static_cast<uint64_t>(kThreads * kPer));
  EXPECT_EQ(s.cumulative[0], static_cast<uint64_t>(kThreads / 2 * kPer));
  EXPECT_DOUBLE_EQ(s.sum, kThreads / 2 * kPer * 0.25 + kThreads / 2 * kPer * 1.0);
}

TEST(MetricsTest, CollectorsAndHooksRunAtRender) {
  Registry r;
  auto* g = &r.AddGauge("depth", "D.").value()->WithLabels({});
  int calls = 0;
  r.AddRenderHook([&] { g->Set(++calls * 10); });
  ASSERT_TRUE(r.AddCollector("ext_total", "E.", MetricType::kCounter, {"k"}, [] {
                 return std::vector<CollectedSample>{{{"b"}, 2}, {{"a"}, 1}};
               }).ok());
  std::string out = r.Render();
  EXPECT_NE(out.find("depth 10\n"), std::string::npos);
  EXPECT_NE(out.find("ext_total{k=\"a\"} 1\next_total{k=\"b\"} 2\n"), std::string::npos);
  EXPECT_NE(r.Render().find("depth 20\n"), std::string::npos);
}

TEST(ServiceMetricsTest, DeclaresTheDesignMetrics) {
  ServiceMetrics m;
  std::string out = m.Render();
  for (const char* name :
       {"atg_api_requests_total", "atg_api_request_duration_seconds", "atg_job_queue_depth",
        "atg_job_execution_duration_seconds", "atg_job_failures_total", "atg_active_workers",
        "atg_azure_requests_total", "atg_azure_throttled_total", "atg_jobs_purged_total"}) {
    EXPECT_NE(out.find(std::string("# TYPE ") + name + " "), std::string::npos) << name;
  }
  // Retention's counter is there from the start (0), so rate() works before the first purge.
  EXPECT_NE(out.find("\natg_jobs_purged_total 0\n"), std::string::npos) << out;
  m.jobs_purged->Inc(3);
  EXPECT_NE(m.Render().find("\natg_jobs_purged_total 3\n"), std::string::npos);
}

TEST(ServiceMetricsTest, RecordsRequestsAndJobs) {
  ServiceMetrics m;
  m.RecordRequest("/api/v1/jobs/{id}", "GET", 200, 0.003);
  m.RecordRequest("/api/v1/jobs/{id}", "GET", 200, 0.02);
  m.RecordJob("scan", 42, "");
  m.RecordJob("scan", 3, "azure");
  std::string out = m.Render();
  EXPECT_NE(out.find("atg_api_requests_total{endpoint=\"/api/v1/jobs/{id}\",method=\"GET\","
                     "status=\"200\"} 2\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("atg_api_request_duration_seconds_count{endpoint=\"/api/v1/jobs/{id}\","
                     "method=\"GET\"} 2\n"),
            std::string::npos);
  EXPECT_NE(out.find("atg_job_execution_duration_seconds_count{job_type=\"scan\"} 2\n"),
            std::string::npos);
  EXPECT_NE(out.find("atg_job_failures_total{job_type=\"scan\",error_type=\"azure\"} 1\n"),
            std::string::npos);
}

TEST(ServiceMetricsTest, AzureCountersComeFromHttpMetricsAndNeverGoDown) {
  ServiceMetrics m;
  azure::HttpMetrics live;
  live.RecordAttempt(azure::ApiKind::kArm, 200, 0, 10);
  live.RecordAttempt(azure::ApiKind::kArm, 429, 0, 10);
  live.RecordThrottled();
  int h = m.AttachAzure(&live);
  std::string out = m.Render();
  EXPECT_NE(out.find("atg_azure_requests_total{api=\"arm\",status=\"200\"} 1\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("atg_azure_throttled_total 1\n"), std::string::npos);
  live.RecordAttempt(azure::ApiKind::kArm, 200, 0, 10);
  m.DetachAzure(h);
  azure::HttpMetricsSnapshot extra;
  extra.requests.push_back({azure::ApiKind::kGraph, 200, 5});
  extra.throttled = 2;
  m.AddAzureSnapshot(extra);
  out = m.Render();
  EXPECT_NE(out.find("atg_azure_requests_total{api=\"arm\",status=\"200\"} 2\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("atg_azure_requests_total{api=\"graph\",status=\"200\"} 5\n"),
            std::string::npos);
  EXPECT_NE(out.find("atg_azure_throttled_total 3\n"), std::string::npos);
}

}  // namespace
}  // namespace atg::server
