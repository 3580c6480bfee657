// The /metrics exposition checked by Prometheus' own linter (`promtool check metrics`).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "azure/http_metrics.h"
#include "common/subprocess.h"
#include "server/metrics.h"
#include "service_env.h"

namespace atg {
namespace {

std::string Promtool() {
  if (const char* t = std::getenv("ATG_TOOL_PROMTOOL"); t && *t) return t;
  const char* path = std::getenv("PATH");
  return FindOnPath("promtool", path ? path : "/usr/bin:/bin").value_or("");
}

// Runs `promtool check metrics` on `text`; returns its exit code and output.
ProcessResult Check(const std::string& text) {
  auto dir =
      std::filesystem::temp_directory_path() / ("atg-promtool-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string file = (dir / "metrics.txt").string();
  std::ofstream(file) << text;
  auto r = RunProcess({"/bin/sh", "-c", "\"$0\" check metrics < \"$1\"", Promtool(), file},
                      std::chrono::seconds(30));
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : ProcessResult{};
}

TEST(MetricsPromtoolTest, ServiceMetricsPassPromtoolWithZeroProblems) {
  if (Promtool().empty()) {
    if (testing::ServicesOptional()) GTEST_SKIP() << "promtool not installed";
    FAIL() << "promtool is not on PATH: install the Debian package `prometheus` "
              "(scripts/setup.sh does) or set ATG_TOOL_PROMTOOL";
  }
  server::ServiceMetrics m;
  // Empty registry first: families without samples must also lint clean.
  ProcessResult empty = Check(m.Render());
  EXPECT_EQ(empty.exit_code, 0) << empty.out << empty.err;

  m.RecordRequest("/api/v1/jobs/{id}", "GET", 200, 0.004);
  m.RecordRequest("/api/v1/scan", "POST", 202, 0.02);
  m.RecordRequest("/api/v1/scan", "POST", 400, 0.001);
  m.RecordRequest("/weird \"path\"\\\n", "GET", 404, 0.0001);  // escaping under the linter
  m.RecordJob("scan", 93.5, "");
  m.RecordJob("generate-iac", 4, "timeout");
  m.job_queue_depth->Set(3);
  m.active_workers->Set(2);
  m.jobs_purged->Inc(5);
  azure::HttpMetrics http;
  http.RecordAttempt(azure::ApiKind::kArm, 200, 0, 100);
  http.RecordAttempt(azure::ApiKind::kResourceGraph, 429, 0, 100);
  http.RecordAttempt(azure::ApiKind::kGraph, 0, 0, 0);
  http.RecordThrottled();
  int h = m.AttachAzure(&http);
  std::string text = m.Render();
  m.DetachAzure(h);
  ProcessResult full = Check(text);
  EXPECT_EQ(full.exit_code, 0) << full.out << full.err << "\n" << text;
  EXPECT_EQ(full.out + full.err, "") << text;  // zero problems, not even lint warnings
  EXPECT_NE(text.find("atg_azure_requests_total{api=\"resource_graph\",status=\"429\"} 1"),
            std::string::npos);

  // The linter does fail on a broken exposition, so the check above means something.
  ProcessResult broken = Check("# TYPE x_total counter\nx_total{a=\"unterminated} 1\n");
  EXPECT_NE(broken.exit_code, 0);
}

}  // namespace
}  // namespace atg
