// `atg generate-iac`: builds the IaC plan from the stored graph, renders it with the chosen
// emitter and writes the files plus the report README.md into --output, all or nothing.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/identity_map.h"
#include "cli/remote_run.h"
#include "client/remote_client.h"
#include "client/remote_settings.h"
#include "common/strings.h"
#include "graph/open_graph_store.h"
#include "iac/generate.h"
#include "iac/output_writer.h"
#include "iac/plan.h"
#include "jobs/archive.h"

namespace atg::cli {
namespace {

struct GenerateOptions {
  std::string format = "terraform";
  std::string output;
  std::string tenant_id;
  std::string target_subscription;
  std::string target_tenant_id;
  std::string identity_map;
  std::vector<std::string> subscriptions;
  std::vector<std::string> resource_groups;
  std::vector<std::string> types;
  bool force = false;
  bool json = false;
  bool remote = false;
  bool import_existing = false;
  bool no_resource_groups = false;
};

int Fail(const Status& s) {
  std::fprintf(stderr, "atg generate-iac: %s\n", s.message().c_str());
  return s.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

json::array StringArray(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// Downloads the completed job's archive and unpacks it into `output`, all or nothing: the
// archive is verified (SHA-256) and extracted next to `output`, then renamed into place.
int FetchRemoteOutput(const CliContext& ctx, const std::string& job_id, const std::string& output,
                      bool force) {
  namespace fs = std::filesystem;
  auto settings = client::RemoteSettings::Load(ctx.settings);
  if (!settings.ok()) return Fail(settings.status());
  azure::CurlTransport transport;
  client::RemoteClient remote(*settings, &transport);
  std::error_code ec;
  if (fs::exists(output, ec) && !fs::is_empty(output, ec) && !force) {
    return Fail(Status::AlreadyExists(output + " exists and is not empty; pass --force to replace "
                                               "it or choose another --output"));
  }
  const std::string archive = output + ".download.tar.gz";
  const std::string staging = output + ".extracting";
  auto d = remote.DownloadArtifact(job_id, archive);
  if (!d.ok()) return Fail(d.status());
  fs::remove_all(staging, ec);
  auto x = jobs::ExtractTarGz(archive, staging);
  if (!x.ok()) {
    fs::remove_all(staging, ec);
    return Fail(x.status());
  }
  fs::remove_all(output, ec);
  fs::rename(staging, output, ec);
  if (ec)
    return Fail(Status::IoError("cannot move " + staging + " to " + output + ": " + ec.message()));
  fs::remove(archive, ec);
  std::fprintf(stderr, "atg generate-iac: unpacked job %s's output (%llu files) into %s\n",
               job_id.c_str(), static_cast<unsigned long long>(x->entries), output.c_str());
  return 0;
}

int RunRemoteGenerate(CliContext& ctx, const GenerateOptions& o, const std::string& format) {
  RemoteRun run;
  run.kind = "generate-iac";
  run.program = "atg generate-iac";
  run.json = o.json;
  run.body["format"] = format;
  if (!o.tenant_id.empty()) run.body["tenant_id"] = o.tenant_id;
  if (!o.target_subscription.empty()) run.body["target_subscription"] = o.target_subscription;
  if (!o.target_tenant_id.empty()) run.body["target_tenant_id"] = o.target_tenant_id;
  if (!o.identity_map.empty()) {
    auto map = LoadIdentityMap(o.identity_map);
    if (!map.ok()) return Fail(map.status());
    json::object m;
    for (const auto& [from, to] : *map) m[from] = to;
    run.body["identity_map"] = std::move(m);
  }
  if (!o.subscriptions.empty()) run.body["subscriptions"] = StringArray(o.subscriptions);
  if (!o.resource_groups.empty()) run.body["resource_groups"] = StringArray(o.resource_groups);
  if (!o.types.empty()) run.body["types"] = StringArray(o.types);
  if (o.import_existing) run.body["import"] = true;
  if (o.no_resource_groups) run.body["no_resource_groups"] = true;
  const std::string output = o.output.empty() ? "iac-" + format : o.output;
  run.on_completed = [&](const std::string& job_id, const json::object& result) {
    int code = FetchRemoteOutput(ctx, job_id, output, o.force);
    if (code == 0 && o.json) {
      json::object summary = result;
      summary["output"] = output;
      std::printf("%s\n", json::serialize(summary).c_str());
    }
    return code;
  };
  return RunRemote(ctx, run);
}

int Run(CliContext& ctx, const GenerateOptions& o) {
  std::string format = ToLower(o.format);
  if (format != "terraform" && format != "bicep" && format != "arm") {
    return Fail(Status::InvalidArgument("--format must be terraform, bicep or arm, not '" +
                                        o.format + "'"));
  }
  if (client::WantsRemote(ctx.settings, o.remote)) {
    int code = RunRemoteGenerate(ctx, o, format);
    if (code != -1) return code;
  }
  std::string tenant = o.tenant_id;
  if (tenant.empty()) tenant = ctx.settings.GetString("AZURE_TENANT_ID", "");
  if (tenant.empty()) {
    return Fail(
        Status::InvalidArgument("no tenant given; pass --tenant-id ID or set AZURE_TENANT_ID"));
  }
  iac::PlanOptions plan_options;
  plan_options.subscriptions = o.subscriptions;
  plan_options.resource_groups = o.resource_groups;
  plan_options.types = o.types;
  plan_options.target_subscription = o.target_subscription;
  if (plan_options.target_subscription.empty()) {
    plan_options.target_subscription = ctx.settings.GetString("ATG_TARGET_SUBSCRIPTION_ID", "");
  }
  plan_options.target_tenant_id = o.target_tenant_id;
  if (plan_options.target_tenant_id.empty()) {
    plan_options.target_tenant_id = ctx.settings.GetString("ATG_TARGET_TENANT_ID", "");
  }
  if (!o.identity_map.empty()) {
    auto map = LoadIdentityMap(o.identity_map);
    if (!map.ok()) return Fail(map.status());
    plan_options.identity_map = std::move(*map);
  }
  std::string output = o.output.empty() ? "iac-" + format : o.output;

  graph::OpenGraphStoreOptions open;
  open.create_if_missing = false;
  auto store = graph::OpenGraphStore(ctx.settings, tenant, open);
  if (!store.ok()) {
    if (store.status().code() == StatusCode::kNotFound) {
      return Fail(Status::NotFound("no graph of tenant " + tenant +
                                   " yet; run `atg scan --tenant-id " + tenant + "` first"));
    }
    return Fail(store.status());
  }
  std::fprintf(stderr, "atg generate-iac: planning from the graph of tenant %s\n",
               (*store)->tenant_id().c_str());
  auto plan = iac::BuildPlan(**store, plan_options);
  if (!plan.ok()) return Fail(plan.status());
  std::fprintf(stderr, "atg generate-iac: %zu resources, %zu principals, %zu skipped, %zu inputs\n",
               plan->resources.size(), plan->principals.size(), plan->skipped.size(),
               plan->inputs.size());
  iac::WriteOptions wo;
  wo.force = o.force;
  iac::EmitOptions emit;
  emit.import_existing = o.import_existing;
  emit.create_resource_groups = !o.no_resource_groups;
  auto summary = iac::GenerateFormat(*plan, format, output, wo, output, emit);
  if (!summary.ok()) return Fail(summary.status());
  if (o.json) std::printf("%s\n", json::serialize(*summary).c_str());
  const json::array* files = FindArray(&*summary, "files");
  std::fprintf(stderr, "atg generate-iac: wrote %zu files to %s (see README.md there)\n",
               files != nullptr ? files->size() : size_t{0}, output.c_str());
  return 0;
}

}  // namespace

void AddGenerateIacCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("generate-iac", "Generate Terraform, Bicep or ARM from the graph");
  auto o = std::make_shared<GenerateOptions>();
  cmd->add_option("--format", o->format, "terraform | bicep | arm (default terraform)");
  cmd->add_option("--output", o->output, "Output directory (default iac-<format>)");
  cmd->add_option("--tenant-id", o->tenant_id, "Source tenant (env: AZURE_TENANT_ID)");
  cmd->add_option("--target-subscription", o->target_subscription,
                  "Rewrite subscription ids to this one (env: ATG_TARGET_SUBSCRIPTION_ID)");
  cmd->add_option("--target-tenant-id", o->target_tenant_id,
                  "Rewrite tenant ids to this one (env: ATG_TARGET_TENANT_ID)");
  cmd->add_option("--identity-map", o->identity_map,
                  "JSON file mapping source object ids to target object ids");
  cmd->add_option("--subscription", o->subscriptions, "Only this subscription (repeatable)");
  cmd->add_option("--resource-group", o->resource_groups, "Only this resource group (repeatable)");
  cmd->add_option("--type", o->types, "Only this ARM type (repeatable)");
  cmd->add_flag("--import", o->import_existing,
                "Terraform: add import blocks that adopt the source tenant's existing resources");
  cmd->add_flag("--no-resource-groups", o->no_resource_groups,
                "Bicep/ARM: do not create the resource groups (they must exist)");
  cmd->add_flag("--force", o->force, "Replace a non-empty output directory that atg did not write");
  cmd->add_flag("--json", o->json, "Print one JSON summary object on stdout");
  cmd->add_flag("--remote", o->remote, "Generate on the ATG service and unpack its output here");
  cmd->callback([&ctx, o] {
    SetUpCliLogging(ctx);
    ctx.exit_code = Run(ctx, *o);
  });
}

}  // namespace atg::cli
