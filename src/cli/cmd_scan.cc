// `atg scan`: discover the tenant into the local graph store (DESIGN.md §3.1).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "azure/azure_stack.h"
#include "cli/commands.h"
#include "cli/remote_run.h"
#include "cli/scan_report.h"
#include "client/remote_settings.h"
#include "common/strings.h"
#include "graph/diff.h"
#include "graph/open_graph_store.h"
#include "scan/scanner.h"

namespace atg::cli {
namespace {

struct ScanFlags {
  std::string tenant_id;
  std::vector<std::string> subscriptions;
  std::vector<std::string> resource_groups;
  std::vector<std::string> types;
  int64_t resource_limit = 0;
  bool no_aad = false;
  bool json = false;
  bool remote = false;
  std::string diagnostic_settings = "common";
  int threads = 32;
};

// Says, before anything is replaced, when this scan covers less than the stored graph.
Status WarnIfNarrower(const Settings& settings, graph::GraphStore& store, const ScanFlags& f) {
  auto history = store.History();
  if (!history.ok()) return history.status();
  if (history->empty()) return Status::Ok();
  auto keep = graph::GraphHistory(settings);
  if (!keep.ok()) return keep.status();
  graph::ScanScope next{store.tenant_id(), f.subscriptions, f.resource_groups, f.types, true,
                        !f.no_aad};
  std::string note = graph::NarrowerScanNote(history->back().scope, next, f.resource_limit,
                                             history->back().gen, *keep);
  if (!note.empty()) std::fprintf(stderr, "atg scan: %s\n", note.c_str());
  return Status::Ok();
}

int RunScan(CliContext& ctx, const ScanFlags& f) {
  SetUpCliLogging(ctx);
  auto usage = [](const std::string& m) {
    std::fprintf(stderr, "atg scan: %s\n", m.c_str());
    return 2;
  };
  if (client::WantsRemote(ctx.settings, f.remote)) {
    if (f.diagnostic_settings != "common" || f.threads != 32)
      return usage(
          "--diagnostic-settings and --threads apply to local scans only; drop them "
          "with --remote (the service uses its own settings)");
    RemoteRun run;
    run.kind = "scan";
    run.program = "atg scan";
    run.json = f.json;
    if (!f.tenant_id.empty()) run.body["tenant_id"] = f.tenant_id;
    auto strings = [](const std::vector<std::string>& v) {
      json::array a;
      for (const auto& s : v) a.emplace_back(s);
      return a;
    };
    if (!f.subscriptions.empty()) run.body["subscriptions"] = strings(f.subscriptions);
    if (!f.resource_groups.empty()) run.body["resource_groups"] = strings(f.resource_groups);
    if (!f.types.empty()) run.body["types"] = strings(f.types);
    if (f.resource_limit > 0) run.body["resource_limit"] = f.resource_limit;
    if (f.no_aad) run.body["no_aad"] = true;
    int code = RunRemote(ctx, run);
    if (code != -1) return code;
  }
  auto diag = scan::ParseDiagnosticSettingsScope(f.diagnostic_settings);
  if (!diag.ok()) return usage(diag.status().message());
  // --tenant-id is the flag form of AZURE_TENANT_ID: the credential chain, the rate-limit keys
  // and the store all read it from one place.
  Settings settings = ctx.settings;
  if (!f.tenant_id.empty()) settings.SetFlag("AZURE_TENANT_ID", f.tenant_id);
  const std::string tenant_id(Trim(settings.GetString("AZURE_TENANT_ID", "")));
  if (tenant_id.empty())
    return usage("no tenant given: pass --tenant-id ID or set AZURE_TENANT_ID");
  if (Status s = graph::ValidateTenantId(tenant_id); !s.ok()) return usage(s.message());
  azure::AzureClientOptions client_options;
  client_options.max_concurrency = 64;
  auto stack = azure::NewAzureStack(settings, client_options);
  if (!stack.ok()) {
    std::fprintf(stderr, "atg scan: %s\n", stack.status().message().c_str());
    return stack.status().code() == StatusCode::kInvalidArgument ? 2 : 1;
  }
  auto store = graph::OpenGraphStore(settings, tenant_id);
  if (!store.ok()) {
    std::fprintf(stderr, "atg scan: opening the graph store failed: %s\n",
                 store.status().message().c_str());
    return 1;
  }
  if (Status s = WarnIfNarrower(settings, **store, f); !s.ok()) {
    std::fprintf(stderr, "atg scan: %s\n", s.message().c_str());
    return 1;
  }
  scan::ScanOptions o;
  o.tenant_id = tenant_id;
  o.subscriptions = f.subscriptions;
  o.resource_groups = f.resource_groups;
  o.types = f.types;
  o.resource_limit = f.resource_limit;
  o.directory = !f.no_aad;
  o.diagnostic_settings = *diag;
  o.threads = f.threads;
  return RunScanAndReport(*stack->client, store->get(), o, f.json, "atg scan").exit_code;
}

}  // namespace

void AddScanCommand(CLI::App& app, CliContext& ctx) {
  auto f = std::make_shared<ScanFlags>();
  auto* cmd = app.add_subcommand("scan", "Discover an Azure tenant into the local graph");
  cmd->add_option("--tenant-id", f->tenant_id, "Tenant to scan (env: AZURE_TENANT_ID)");
  cmd->add_option("--subscription", f->subscriptions, "Only this subscription (repeatable)");
  cmd->add_option("--resource-group", f->resource_groups,
                  "Only this resource group (repeatable); referenced resources are kept");
  cmd->add_option("--type", f->types, "Only this ARM type (repeatable)");
  cmd->add_option("--resource-limit", f->resource_limit, "Keep at most N resources (0: all)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  cmd->add_flag("--no-aad", f->no_aad, "Skip Entra ID (users, groups, service principals)");
  cmd->add_option("--diagnostic-settings", f->diagnostic_settings,
                  "none|common|all: which resources' diagnostic settings to read");
  cmd->add_flag("--json", f->json, "Print only the summary object (JSON) on stdout");
  cmd->add_flag("--remote", f->remote, "Run the scan on the ATG service");
  cmd->add_option("--threads", f->threads, "Concurrent requests")->check(CLI::Range(1, 256));
  cmd->callback([&ctx, f] { ctx.exit_code = RunScan(ctx, *f); });
}

}  // namespace atg::cli
