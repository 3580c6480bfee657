// `atg demo`: start the simulator in-process on a free port, scan it into a graph store (under
// ATG_DATA_DIR, or a temporary directory removed afterwards), print the summary and compare it
// with the simulated tenant's ground truth, then generate Terraform, Bicep and ARM from the
// graph into --output. Exit 0 only when every count matches exactly and the IaC was written.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "cli/commands.h"
#include "cli/scan_report.h"
#include "cli/tenant_truth.h"
#include "common/log.h"
#include "common/temp_dir.h"
#include "graph/sqlite_graph_store.h"
#include "iac/generate.h"
#include "iac/plan.h"
#include "scan/scan_client.h"
#include "scan/scanner.h"
#include "sim/faults.h"
#include "sim/simulator.h"
#include "sim/throttle.h"

namespace atg::cli {
namespace {

struct DemoFlags {
  sim::GeneratorOptions generator;
  int latency_ms = 0;
  std::string throttle = "realistic";
  double fault_rate = 0;
  bool json = false;
  std::string diagnostic_settings = "common";
  std::string output = "atg-demo-iac";
  bool no_iac = false;
};

// The three IaC formats of the scanned graph, one directory each under `output`.
bool GenerateDemoIac(graph::GraphStore& store, const std::string& output, std::FILE* out) {
  auto plan = iac::BuildPlan(store, iac::PlanOptions{});
  if (!plan.ok()) {
    std::fprintf(stderr, "atg demo: planning the IaC failed: %s\n",
                 plan.status().message().c_str());
    return false;
  }
  for (const char* format : {"terraform", "bicep", "arm"}) {
    std::string dir = output + "/" + format;
    auto summary = iac::GenerateFormat(*plan, format, dir, iac::WriteOptions{}, dir);
    if (!summary.ok()) {
      std::fprintf(stderr, "atg demo: writing %s failed: %s\n", format,
                   summary.status().message().c_str());
      return false;
    }
    const json::array* inputs = FindArray(&*summary, "inputs_required");
    std::fprintf(out, "IaC (%s): %lld resources in %s/ (%zu inputs to provide; see README.md)\n",
                 format,
                 static_cast<long long>(FindInt(&*summary, "resources_emitted").value_or(0)),
                 dir.c_str(), inputs != nullptr ? inputs->size() : size_t{0});
  }
  return true;
}

int RunDemo(CliContext& ctx, DemoFlags& f) {
  SetUpCliLogging(ctx);
  auto usage = [](const std::string& m) {
    std::fprintf(stderr, "atg demo: %s\n", m.c_str());
    return 2;
  };
  auto mode = sim::ParseThrottleMode(f.throttle);
  if (!mode.ok()) return usage(mode.status().message());
  if (Status s = sim::ValidateFaultRate(f.fault_rate); !s.ok()) return usage(s.message());
  auto diag = scan::ParseDiagnosticSettingsScope(f.diagnostic_settings);
  if (!diag.ok()) return usage(diag.status().message());

  std::optional<TempDir> temp;  // the data directory when none is configured; removed at the end
  std::string data_dir = ctx.settings.GetString("ATG_DATA_DIR", "");
  if (data_dir.empty()) {
    auto made = TempDir::Create("atg-demo-");
    if (!made.ok()) {
      std::fprintf(stderr, "atg demo: %s\n", made.status().message().c_str());
      return 1;
    }
    temp = std::move(made.value());
    data_dir = temp->path();
  }

  sim::SimulatorOptions so;
  so.generator = f.generator;
  so.latency_ms = f.latency_ms;
  so.throttle = *mode;
  so.fault_rate = f.fault_rate;
  so.seed = f.generator.seed;
  auto created = sim::Simulator::Create(so);
  if (!created.ok()) return usage(created.status().message());
  sim::Simulator& simulator = **created;
  if (Status s = simulator.Start(); !s.ok()) {
    std::fprintf(stderr, "atg demo: starting the simulator failed: %s\n", s.message().c_str());
    return 1;
  }
  const sim::Tenant& tenant = simulator.tenant();
  std::fprintf(stderr,
               "atg demo: simulated tenant %s on %s: %zu subscriptions, %zu resources, %zu "
               "users, %zu groups, %zu service principals\n",
               tenant.tenant_id.c_str(), simulator.base_url().c_str(), tenant.subscriptions.size(),
               tenant.resources.size(), tenant.users.size(), tenant.groups.size(),
               tenant.service_principals.size());

  auto endpoints = azure::AzureEndpoints::FromUrls(simulator.base_url(), simulator.base_url(),
                                                   simulator.base_url(), simulator.base_url());
  if (!endpoints.ok()) return usage(endpoints.status().message());
  scan::ScanClientConfig config;
  config.endpoints = *endpoints;
  config.tenant_id = simulator.credentials().tenant_id;
  config.client_id = simulator.credentials().client_id;
  config.client_secret = simulator.credentials().client_secret;
  RegisterSecret(config.client_secret);
  auto client = scan::MakeScanClient(config);
  if (!client.ok()) {
    std::fprintf(stderr, "atg demo: %s\n", client.status().message().c_str());
    return 1;
  }
  auto store = graph::OpenSqliteGraphStore(data_dir, config.tenant_id);
  if (!store.ok()) {
    std::fprintf(stderr, "atg demo: opening the graph store failed: %s\n",
                 store.status().message().c_str());
    return 1;
  }
  scan::ScanOptions o;
  o.tenant_id = config.tenant_id;
  o.diagnostic_settings = *diag;
  ScanRun run = RunScanAndReport(**client, store->get(), o, f.json, "atg demo");
  simulator.Stop();
  if (!run.summary) return run.exit_code;

  std::FILE* out = f.json ? stderr : stdout;
  auto diffs = CompareCounts(CountSummary(*run.summary), CountTenant(tenant));
  if (!diffs.empty()) {
    std::fprintf(out, "Ground truth: %zu count(s) differ from the simulated tenant:\n",
                 diffs.size());
    for (const auto& d : diffs) std::fprintf(out, "  %s\n", d.c_str());
    return run.exit_code == 0 ? 1 : run.exit_code;
  }
  std::fprintf(out, "Ground truth: every count matches the simulated tenant exactly.\n");
  if (f.no_iac) return run.exit_code;
  return GenerateDemoIac(**store, f.output, out) ? run.exit_code : 1;
}

}  // namespace

void AddDemoCommand(CLI::App& app, CliContext& ctx) {
  auto f = std::make_shared<DemoFlags>();
  f->generator.resources = 1000;
  f->generator.subscriptions = 2;
  f->generator.users = 200;
  f->generator.groups = 40;
  auto* cmd = app.add_subcommand(
      "demo", "Scan an in-process simulated tenant and compare with its ground truth");
  cmd->add_option("--subscriptions", f->generator.subscriptions, "Subscriptions to generate")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--resources", f->generator.resources, "ARM resources to generate")
      ->check(CLI::Range(0, 5000000));
  cmd->add_option("--users", f->generator.users, "Users to generate")
      ->check(CLI::Range(0, 5000000));
  cmd->add_option("--groups", f->generator.groups, "Groups to generate")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--seed", f->generator.seed, "Seed of the generated tenant");
  cmd->add_option("--latency-ms", f->latency_ms, "Simulated latency per response")
      ->check(CLI::Range(0, 60000));
  cmd->add_option("--throttle", f->throttle, "realistic|off");
  cmd->add_option("--fault-rate", f->fault_rate, "Fraction of requests that fail (0..1)");
  cmd->add_option("--diagnostic-settings", f->diagnostic_settings, "none|common|all");
  cmd->add_flag("--json", f->json, "Print only the scan summary object (JSON) on stdout");
  cmd->add_option("--output", f->output,
                  "Where the Terraform, Bicep and ARM output goes (one directory each)");
  cmd->add_flag("--no-iac", f->no_iac, "Only scan; do not generate IaC");
  cmd->callback([&ctx, f] { ctx.exit_code = RunDemo(ctx, *f); });
}

}  // namespace atg::cli
