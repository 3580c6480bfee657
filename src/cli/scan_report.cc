#include "cli/scan_report.h"

#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <stop_token>
#include <thread>

#include "cli/progress.h"

namespace atg::cli {

void PrintScanSummary(std::FILE* out, const scan::ScanSummary& s) {
  auto line = [&](const std::string& text) { std::fprintf(out, "%s\n", text.c_str()); };
  line(fmt::format("Scan of tenant {} {} in {:.1f}s", s.tenant_id,
                   s.partial() ? "finished with failed scopes" : "complete", s.duration_seconds));
  line(fmt::format("  {:<58} {:>9}", "subscriptions", s.subscriptions));
  line(fmt::format("  {:<58} {:>9}", "resource groups", s.resource_groups));
  line(fmt::format("  {:<58} {:>9}", "resources (child and extension included)", s.resources));
  for (const auto& [type, n] : s.by_type) line(fmt::format("    {:<56} {:>9}", type, n));
  line(fmt::format("  {:<58} {:>9}", "users", s.users));
  line(fmt::format("  {:<58} {:>9}", "groups", s.groups));
  line(fmt::format("  {:<58} {:>9}", "service principals", s.service_principals));
  line(fmt::format("  {:<58} {:>9}", "edges", s.edges));
  for (const auto& [type, n] : s.edges_by_type) line(fmt::format("    {:<56} {:>9}", type, n));
  line(fmt::format("  requests: {} ARM, {} Resource Graph{}, {} Microsoft Graph", s.requests_arm,
                   s.requests_resource_graph, s.resource_graph ? "" : " (not allowed: ARM lists)",
                   s.requests_graph));
  line(fmt::format("  throttled: {} (429s), {:.1f}s waited on rate limits", s.throttled,
                   s.throttle_wait_seconds));
  double ratio = s.floor_seconds > 0 ? s.duration_seconds / s.floor_seconds : 0;
  line(fmt::format("  Azure's limits allow this scan in {:.1f}s at best{}", s.floor_seconds,
                   s.floor_seconds > 0 ? fmt::format(" (took {:.2f}x that)", ratio) : ""));
  line(fmt::format(
      "    (Resource Graph {:.1f}s, ARM {:.1f}s for {} reads in {}, Microsoft Graph {:.1f}s)",
      s.floor.resource_graph_seconds, s.floor.arm_seconds, s.floor.arm_requests,
      s.floor.arm_subscription.empty() ? "-" : s.floor.arm_subscription, s.floor.graph_seconds));
  if (s.partial()) {
    line(fmt::format("  {} scope(s) could not be read:", s.failed_scopes.size()));
    for (const auto& f : s.failed_scopes) line(fmt::format("    {}: {}", f.scope, f.reason));
  }
}

int ScanExitCode(const scan::ScanSummary& s) { return s.partial() ? 3 : 0; }

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void OnInterrupt(int) { g_interrupted.store(true); }

}  // namespace

ScanRun RunScanAndReport(azure::AzureHttpClient& client, graph::GraphStore* store,
                         const scan::ScanOptions& options, bool json, const char* program) {
  ScanRun run;
  g_interrupted = false;
  auto old_int = std::signal(SIGINT, OnInterrupt);
  auto old_term = std::signal(SIGTERM, OnInterrupt);
  std::stop_source stop;
  std::jthread watcher([&](std::stop_token done) {
    while (!done.stop_requested()) {
      if (g_interrupted.load()) {
        stop.request_stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  ScanProgressPrinter progress(stderr, ScanProgressPrinter::StderrIsTty());
  scan::Scanner scanner(client, store, options);
  auto result = scanner.Run(stop.get_token(), &progress);
  progress.Finish();
  watcher.request_stop();
  watcher.join();
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  if (!result.ok()) {
    std::fprintf(stderr, "%s: %s\n", program, result.status().message().c_str());
    run.exit_code = result.status().code() == StatusCode::kInvalidArgument ? 2 : 1;
    return run;
  }
  if (json) {
    std::printf("%s\n", json::serialize(result->ToJson()).c_str());
  } else {
    PrintScanSummary(stdout, *result);
  }
  std::fflush(stdout);
  run.exit_code = ScanExitCode(*result);
  run.summary = std::move(*result);
  return run;
}

}  // namespace atg::cli
