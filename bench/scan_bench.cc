// scan_bench: times a full scan of a simulated tenant under Azure's realistic limits and
// latency, and checks its counts against the tenant's ground truth.
//
// The simulator runs in a forked child process (so the peak RSS measured is the scanner's
// alone, as `atg scan` against `atg simulate` would have it); the parent scans it into a SQLite
// graph store in a temporary directory.
//
//   scan_bench                      1,000 resources, 1 subscription, 200 users, 40 groups
//   scan_bench --medium             10,000 resources, 10 subscriptions, 2,000 users, 200 groups
//   scan_bench --large              100,000 resources, 10 subscriptions, 20,000 users, 2,000 groups
//   options: --resources N --subscriptions N --users N --groups N --latency-ms MS
//            --throttle realistic|off --fault-rate F --diagnostic-settings none|common|all
//            --threads N --seed S
//
// Prints duration, floor_seconds and their ratio, peak RSS, requests by API, throttling, and
// whether every count equals the ground truth (exit 1 when not).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

#include "azure/endpoints.h"
#include "common/json.h"
#include "common/log.h"
#include "common/strings.h"
#include "common/temp_dir.h"
#include "graph/sqlite_graph_store.h"
#include "scan/scan_client.h"
#include "scan/scanner.h"
#include "sim/simulator.h"
#include "sim/throttle.h"

namespace {

using namespace atg;

struct Args {
  sim::GeneratorOptions gen;
  int latency_ms = 20;
  std::string throttle = "realistic";
  double fault_rate = 0;
  std::string diagnostic_settings = "common";
  int threads = 32;
};

bool ParseArgs(int argc, char** argv, Args* a) {
  a->gen.resources = 1000;
  a->gen.subscriptions = 1;
  a->gen.users = 200;
  a->gen.groups = 40;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : ""; };
    if (k == "--large") {
      a->gen.resources = 100000, a->gen.subscriptions = 10, a->gen.users = 20000,
      a->gen.groups = 2000;
    } else if (k == "--medium") {
      a->gen.resources = 10000, a->gen.subscriptions = 10, a->gen.users = 2000, a->gen.groups = 200;
    } else if (k == "--resources") {
      a->gen.resources = std::atoi(next());
    } else if (k == "--subscriptions") {
      a->gen.subscriptions = std::atoi(next());
    } else if (k == "--users") {
      a->gen.users = std::atoi(next());
    } else if (k == "--groups") {
      a->gen.groups = std::atoi(next());
    } else if (k == "--seed") {
      a->gen.seed = std::strtoull(next(), nullptr, 10);
    } else if (k == "--latency-ms") {
      a->latency_ms = std::atoi(next());
    } else if (k == "--throttle") {
      a->throttle = next();
    } else if (k == "--fault-rate") {
      a->fault_rate = std::atof(next());
    } else if (k == "--diagnostic-settings") {
      a->diagnostic_settings = next();
    } else if (k == "--threads") {
      a->threads = std::atoi(next());
    } else {
      std::fprintf(stderr, "scan_bench: unknown argument %s\n", k.c_str());
      return false;
    }
  }
  return true;
}

// The child: serve the tenant, report where and what, wait for the parent to close `control`.
[[noreturn]] void ServeSimulator(const Args& a, int report_fd, int control_fd) {
  sim::SimulatorOptions o;
  o.generator = a.gen;
  o.latency_ms = a.latency_ms;
  o.throttle = *sim::ParseThrottleMode(a.throttle);
  o.fault_rate = a.fault_rate;
  o.seed = a.gen.seed;
  auto s = sim::Simulator::Create(o);
  if (!s.ok() || !(*s)->Start().ok()) {
    std::fprintf(stderr, "scan_bench: simulator failed: %s\n",
                 s.ok() ? "start" : s.status().message().c_str());
    _exit(2);
  }
  const sim::Tenant& t = (*s)->tenant();
  json::object report;
  report["base_url"] = (*s)->base_url();
  report["tenant_id"] = (*s)->credentials().tenant_id;
  report["client_id"] = (*s)->credentials().client_id;
  report["client_secret"] = (*s)->credentials().client_secret;
  json::object by_type;
  for (const auto& r : t.resources) {
    std::string type = ToLower(r.as_object().at("type").as_string());
    by_type[type] = (by_type.contains(type) ? by_type[type].as_int64() : 0) + 1;
  }
  report["by_type"] = std::move(by_type);
  report["subscriptions"] = t.subscriptions.size();
  report["resource_groups"] = t.resource_groups.size();
  report["resources"] = t.resources.size();
  report["users"] = t.users.size();
  report["groups"] = t.groups.size();
  report["service_principals"] = t.service_principals.size();
  std::string line = json::serialize(report) + "\n";
  if (write(report_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(2);
  close(report_fd);
  char c;
  while (read(control_fd, &c, 1) > 0) {
  }
  (*s)->Stop();
  _exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!ParseArgs(argc, argv, &a)) return 2;
  auto diag = scan::ParseDiagnosticSettingsScope(a.diagnostic_settings);
  if (!diag.ok() || !sim::ParseThrottleMode(a.throttle).ok()) {
    std::fprintf(stderr, "scan_bench: bad --diagnostic-settings or --throttle\n");
    return 2;
  }
  int report[2], control[2];
  if (pipe(report) != 0 || pipe(control) != 0) return 1;
  pid_t pid = fork();
  if (pid == 0) {
    close(report[0]);
    close(control[1]);
    ServeSimulator(a, report[1], control[0]);
  }
  close(report[1]);
  close(control[0]);
  std::string line;
  char buf[65536];
  ssize_t n;
  while ((n = read(report[0], buf, sizeof buf)) > 0) line.append(buf, static_cast<size_t>(n));
  close(report[0]);
  auto parsed = ParseJson(line);
  if (!parsed.ok() || !parsed->is_object()) {
    std::fprintf(stderr, "scan_bench: the simulator did not start\n");
    return 1;
  }
  const json::object& truth = parsed->as_object();
  std::string base(truth.at("base_url").as_string());

  InitLogging(LogFormat::kText, LogLevel::kError);
  scan::ScanClientConfig config;
  config.endpoints = *azure::AzureEndpoints::FromUrls(base, base, base, base);
  config.tenant_id = truth.at("tenant_id").as_string();
  config.client_id = truth.at("client_id").as_string();
  config.client_secret = truth.at("client_secret").as_string();
  auto client = scan::MakeScanClient(config);
  TempDir dir;
  auto store = graph::OpenSqliteGraphStore(dir.path(), config.tenant_id);
  if (!client.ok() || !store.ok()) {
    std::fprintf(stderr, "scan_bench: setting up the scan failed\n");
    return 1;
  }
  scan::ScanOptions o;
  o.tenant_id = config.tenant_id;
  o.diagnostic_settings = *diag;
  o.threads = a.threads;
  scan::Scanner scanner(**client, store->get(), o);
  auto summary = scanner.Run({});
  // Stop the simulator.
  close(control[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!summary.ok()) {
    std::fprintf(stderr, "scan_bench: scan failed: %s\n", summary.status().message().c_str());
    return 1;
  }
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  const auto& s = *summary;

  bool exact = s.subscriptions == truth.at("subscriptions").as_int64() &&
               s.resource_groups == truth.at("resource_groups").as_int64() &&
               s.resources == truth.at("resources").as_int64() &&
               s.users == truth.at("users").as_int64() &&
               s.groups == truth.at("groups").as_int64() &&
               s.service_principals == truth.at("service_principals").as_int64();
  const json::object& tb = truth.at("by_type").as_object();
  exact = exact && tb.size() == s.by_type.size();
  for (const auto& [type, count] : s.by_type) {
    const json::value* v = tb.if_contains(type);
    if (v == nullptr || v->as_int64() != count) {
      exact = false;
      std::printf("  mismatch %s: scanned %lld, tenant %lld\n", type.c_str(),
                  static_cast<long long>(count), v ? static_cast<long long>(v->as_int64()) : 0LL);
    }
  }

  std::printf(
      "scan_bench: %d resources in %d subscriptions, %d users, %d groups; latency %d ms, "
      "throttle %s, fault rate %.2f, diagnostic settings %s\n",
      a.gen.resources, a.gen.subscriptions, a.gen.users, a.gen.groups, a.latency_ms,
      a.throttle.c_str(), a.fault_rate, a.diagnostic_settings.c_str());
  std::printf("  duration        %.2f s\n", s.duration_seconds);
  std::printf("  floor_seconds   %.2f s\n", s.floor_seconds);
  std::printf(
      "  floor terms     resource graph %.1f s, arm %.1f s (%lld reads in %s), graph %.1f s\n",
      s.floor.resource_graph_seconds, s.floor.arm_seconds,
      static_cast<long long>(s.floor.arm_requests), s.floor.arm_subscription.c_str(),
      s.floor.graph_seconds);
  std::printf("  ratio           %.2f\n",
              s.floor_seconds > 0 ? s.duration_seconds / s.floor_seconds : 0.0);
  std::printf("  peak RSS        %.1f MiB\n", static_cast<double>(ru.ru_maxrss) / 1024.0);
  std::printf("  requests        arm %lld, resource_graph %lld, graph %lld\n",
              static_cast<long long>(s.requests_arm),
              static_cast<long long>(s.requests_resource_graph),
              static_cast<long long>(s.requests_graph));
  std::printf("  throttled       %lld (429s), %.1f s waited\n", static_cast<long long>(s.throttled),
              s.throttle_wait_seconds);
  std::printf("  nodes           %lld resources, %lld users, %lld groups, %lld sps, %lld edges\n",
              static_cast<long long>(s.resources), static_cast<long long>(s.users),
              static_cast<long long>(s.groups), static_cast<long long>(s.service_principals),
              static_cast<long long>(s.edges));
  std::printf("  failed scopes   %zu\n", s.failed_scopes.size());
  std::printf("  ground truth    %s\n", exact ? "exact" : "MISMATCH");
  return exact && s.failed_scopes.empty() ? 0 : 1;
}
