// `atg graph stats` and `atg graph export`: inspect the stored graph of one tenant.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "graph/export.h"
#include "graph/export_neo4j_csv.h"
#include "graph/open_graph_store.h"

namespace atg::cli {
namespace {

struct GraphOptions {
  std::string tenant_id;
  bool json = false;
  std::string format;
  std::string output;
};

// Opens the existing graph of the tenant named by --tenant-id or AZURE_TENANT_ID.
Result<std::unique_ptr<graph::GraphStore>> OpenExisting(const CliContext& ctx,
                                                        const GraphOptions& opts) {
  std::string tenant = opts.tenant_id;
  if (tenant.empty()) tenant = ctx.settings.GetString("AZURE_TENANT_ID", "");
  if (tenant.empty()) {
    return Status::InvalidArgument("no tenant given; pass --tenant-id ID or set AZURE_TENANT_ID");
  }
  graph::OpenGraphStoreOptions options;
  options.create_if_missing = false;
  auto store = graph::OpenGraphStore(ctx.settings, tenant, options);
  if (!store.ok()) return store.status();
  auto has = (*store)->HasGraph();
  if (!has.ok()) return has.status();
  if (!*has) {
    return Status::NotFound("no completed scan of tenant " + (*store)->tenant_id() +
                            " yet; run `atg scan --tenant-id " + (*store)->tenant_id() + "`");
  }
  return store;
}

int Fail(const Status& s) {
  std::fprintf(stderr, "atg graph: %s\n", s.message().c_str());
  return s.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

void PrintCounts(const char* title, const std::map<std::string, int64_t>& m) {
  std::printf("%s:\n", title);
  for (const auto& [k, v] : m) std::printf("  %-60s %lld\n", k.c_str(), static_cast<long long>(v));
}

int RunStats(const CliContext& ctx, const GraphOptions& opts) {
  auto store = OpenExisting(ctx, opts);
  if (!store.ok()) return Fail(store.status());
  auto stats = (*store)->Stats();
  if (!stats.ok()) return Fail(stats.status());
  if (opts.json) {
    std::printf("%s\n", json::serialize(stats->ToJson()).c_str());
    return 0;
  }
  const auto& s = *stats;
  std::printf(
      "tenant %s: %lld nodes, %lld resources, %lld users, %lld groups, "
      "%lld service principals, %lld edges\n",
      s.tenant_id.c_str(), static_cast<long long>(s.nodes), static_cast<long long>(s.resources),
      static_cast<long long>(s.users), static_cast<long long>(s.groups),
      static_cast<long long>(s.service_principals), static_cast<long long>(s.edges));
  PrintCounts("nodes by label", s.by_label);
  PrintCounts("resources by type", s.by_type);
  PrintCounts("edges by type", s.edges_by_type);
  return 0;
}

int RunExport(const CliContext& ctx, const GraphOptions& opts) {
  auto format = graph::ParseExportFormat(opts.format);
  if (!format.ok()) return Fail(format.status());
  const bool to_stdout = opts.output.empty() || opts.output == "-";
  if (!graph::IsStreamFormat(*format) && to_stdout) {
    return Fail(Status::InvalidArgument(
        "--format " + opts.format +
        " writes a directory of CSV files; give it with --output DIR (a new or empty directory)"));
  }
  auto store = OpenExisting(ctx, opts);
  if (!store.ok()) return Fail(store.status());
  if (*format == graph::ExportFormat::kNeo4jCsv) {
    auto done = graph::ExportNeo4jCsv(**store, opts.output);
    if (!done.ok()) return Fail(done.status());
    std::fprintf(stderr,
                 "exported %lld nodes and %lld edges of tenant %s to %s\n"
                 "import them into a new, stopped database with:\n  %s\n",
                 static_cast<long long>(done->counts.nodes),
                 static_cast<long long>(done->counts.edges), (*store)->tenant_id().c_str(),
                 opts.output.c_str(), done->import_command.c_str());
    return 0;
  }
  if (to_stdout) {
    auto counts = graph::ExportGraph(**store, *format, std::cout);
    if (!counts.ok()) return Fail(counts.status());
    return 0;
  }
  // Written beside the target and renamed, so a failed export never leaves a partial file.
  std::string tmp = opts.output + ".partial";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) {
    return Fail(Status::IoError("cannot write " + tmp +
                                "; check that the directory exists and "
                                "is writable"));
  }
  auto counts = graph::ExportGraph(**store, *format, out);
  out.close();
  std::error_code ec;
  if (!counts.ok() || !out) {
    std::filesystem::remove(tmp, ec);
    return Fail(counts.ok() ? Status::IoError("writing " + tmp + " failed") : counts.status());
  }
  std::filesystem::rename(tmp, opts.output, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Fail(Status::IoError("cannot rename " + tmp + " to " + opts.output));
  }
  std::fprintf(stderr, "exported %lld nodes and %lld edges of tenant %s to %s\n",
               static_cast<long long>(counts->nodes), static_cast<long long>(counts->edges),
               (*store)->tenant_id().c_str(), opts.output.c_str());
  return 0;
}

}  // namespace

void AddGraphCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("graph", "Inspect the stored graph of a tenant");
  cmd->require_subcommand(1);
  auto opts = std::make_shared<GraphOptions>();

  auto* stats = cmd->add_subcommand("stats", "Count nodes by label and type, edges by type");
  stats->add_option("--tenant-id", opts->tenant_id, "Tenant (env: AZURE_TENANT_ID)");
  stats->add_flag("--json", opts->json, "Print one JSON object on stdout");
  stats->callback([&ctx, opts] { ctx.exit_code = RunStats(ctx, *opts); });

  auto* exp = cmd->add_subcommand(
      "export", "Write the whole graph as json, ndjson, graphml, dot or neo4j-csv");
  exp->add_option("--format", opts->format,
                  "json|ndjson|graphml (Gephi, yEd, networkx)|dot (Graphviz)|neo4j-csv "
                  "(neo4j-admin database import; a directory)")
      ->required();
  exp->add_option("--output", opts->output,
                  "File to write (default: stdout); a new or empty directory for neo4j-csv");
  exp->add_option("--tenant-id", opts->tenant_id, "Tenant (env: AZURE_TENANT_ID)");
  exp->callback([&ctx, opts] { ctx.exit_code = RunExport(ctx, *opts); });

  AddGraphHistoryCommands(cmd, ctx);
  AddGraphReadCommands(cmd, ctx);
}

}  // namespace atg::cli
