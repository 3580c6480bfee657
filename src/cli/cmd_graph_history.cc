// `atg graph history` and `atg graph diff`: the scans a tenant's history keeps, and the drift
// between two of them (graph/diff.h).
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "graph/diff.h"
#include "graph/open_graph_store.h"

namespace atg::cli {
namespace {

struct HistoryFlags {
  std::string tenant_id;
  bool json = false;
  int64_t from = 0;  // 0: the scan before `to`
  int64_t to = 0;    // 0: the newest
  int max_paths = 100;
};

int Fail(const char* program, const Status& s) {
  std::fprintf(stderr, "%s: %s\n", program, s.message().c_str());
  return s.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

Result<std::unique_ptr<graph::GraphStore>> OpenTenant(const CliContext& ctx,
                                                      const HistoryFlags& f) {
  std::string tenant = f.tenant_id;
  if (tenant.empty()) tenant = ctx.settings.GetString("AZURE_TENANT_ID", "");
  if (tenant.empty()) {
    return Status::InvalidArgument("no tenant given; pass --tenant-id ID or set AZURE_TENANT_ID");
  }
  graph::OpenGraphStoreOptions o;
  o.create_if_missing = false;
  return graph::OpenGraphStore(ctx.settings, tenant, o);
}

// "full tenant", or the filters: "subscriptions a,b; resource groups x; types t; no directory".
std::string ScopeText(const json::object& scope) {
  std::string out;
  auto list = [&](const char* key, const char* name) {
    const json::array* a = FindArray(&scope, key);
    if (a == nullptr || a->empty()) return;
    std::string items;
    for (const auto& v : *a) {
      if (!items.empty()) items += ",";
      items += v.is_string() ? std::string(v.get_string()) : json::serialize(v);
    }
    out += (out.empty() ? "" : "; ") + std::string(name) + " " + items;
  };
  list("subscriptions", "subscriptions");
  list("resource_groups", "resource groups");
  list("types", "types");
  if (!FindBool(&scope, "arm").value_or(true))
    out += (out.empty() ? "" : "; ") + std::string("no ARM");
  if (!FindBool(&scope, "directory").value_or(true)) {
    out += (out.empty() ? "" : "; ") + std::string("no directory");
  }
  return out.empty() ? "full tenant" : out;
}

std::string ShortJson(const std::optional<json::value>& v) {
  if (!v) return "(absent)";
  std::string s = json::serialize(*v);
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

int RunHistory(CliContext& ctx, const HistoryFlags& f) {
  constexpr const char* kProgram = "atg graph history";
  SetUpCliLogging(ctx);
  auto store = OpenTenant(ctx, f);
  if (!store.ok()) return Fail(kProgram, store.status());
  auto scans = (*store)->History();
  if (!scans.ok()) return Fail(kProgram, scans.status());
  if (f.json) {
    json::array out;
    for (const auto& s : *scans) {
      json::object o{{"scan", s.gen},
                     {"started_at", s.started_at},
                     {"finished_at", s.finished_at},
                     {"scope", s.scope}};
      json::object commit = s.summary;
      if (json::value* report = commit.if_contains("report")) {
        o["report"] = *report;
        commit.erase("report");
      }
      o["commit"] = std::move(commit);
      out.push_back(std::move(o));
    }
    std::printf("%s\n", json::serialize(json::object{{"tenant_id", (*store)->tenant_id()},
                                                     {"scans", std::move(out)}})
                            .c_str());
    return 0;
  }
  if (scans->empty()) {
    std::fprintf(stderr, "tenant %s has no scan yet; run `atg scan`\n",
                 (*store)->tenant_id().c_str());
    return 1;
  }
  std::printf("%-6s %-21s %-21s %10s %10s %9s  %s\n", "scan", "started", "finished", "resources",
              "written", "removed", "scope");
  for (const auto& s : *scans) {
    const json::object* report = FindObject(&s.summary, "report");
    auto resources = FindInt(report, "resources");
    std::printf("%-6lld %-21s %-21s %10s %10lld %9lld  %s\n", static_cast<long long>(s.gen),
                s.started_at.c_str(), s.finished_at.c_str(),
                resources ? std::to_string(*resources).c_str() : "-",
                static_cast<long long>(FindInt(&s.summary, "nodes_written").value_or(0)),
                static_cast<long long>(FindInt(&s.summary, "nodes_removed").value_or(0)),
                ScopeText(s.scope).c_str());
  }
  return 0;
}

int RunDiff(CliContext& ctx, const HistoryFlags& f) {
  constexpr const char* kProgram = "atg graph diff";
  SetUpCliLogging(ctx);
  auto store = OpenTenant(ctx, f);
  if (!store.ok()) return Fail(kProgram, store.status());
  auto scans = (*store)->History();
  if (!scans.ok()) return Fail(kProgram, scans.status());
  int64_t to = f.to, from = f.from;
  if (to == 0 && !scans->empty()) to = scans->back().gen;
  if (from == 0) {
    for (const auto& s : *scans) {
      if (s.gen < to) from = s.gen;
    }
    if (from == 0) {
      return Fail(kProgram, Status::FailedPrecondition(
                                "the history of tenant " + (*store)->tenant_id() +
                                " holds no scan before scan " + std::to_string(to) +
                                "; scan again to compare, or see `atg graph history`"));
    }
  }
  graph::DiffOptions o;
  o.max_paths_per_node = static_cast<size_t>(std::max(f.max_paths, 1));
  auto diff = graph::DiffScans(**store, from, to, o);
  if (!diff.ok()) return Fail(kProgram, diff.status());
  if (f.json) {
    std::printf("%s\n", json::serialize(diff->ToJson()).c_str());
    return 0;
  }
  const json::object j = diff->ToJson();
  const json::object& sum = j.at("summary").as_object();
  auto n = [](const json::value& v, const char* k) {
    return static_cast<long long>(v.as_object().at(k).as_int64());
  };
  std::printf("tenant %s: scan %lld (%s, %s) -> scan %lld (%s, %s)\n", diff->tenant_id.c_str(),
              static_cast<long long>(diff->from.gen), diff->from.finished_at.c_str(),
              ScopeText(diff->from.scope).c_str(), static_cast<long long>(diff->to.gen),
              diff->to.finished_at.c_str(), ScopeText(diff->to.scope).c_str());
  std::printf(
      "resources: %lld added, %lld removed, %lld changed; edges: %lld added, %lld removed\n",
      n(sum.at("resources"), "added"), n(sum.at("resources"), "removed"),
      n(sum.at("resources"), "changed"), n(sum.at("edges"), "added"),
      n(sum.at("edges"), "removed"));
  const json::object& dir = sum.at("directory").as_object();
  std::printf(
      "directory: users +%lld -%lld ~%lld, groups +%lld -%lld ~%lld, service principals "
      "+%lld -%lld ~%lld, role assignments +%lld -%lld ~%lld, memberships +%lld -%lld\n",
      n(dir.at("users"), "added"), n(dir.at("users"), "removed"), n(dir.at("users"), "changed"),
      n(dir.at("groups"), "added"), n(dir.at("groups"), "removed"), n(dir.at("groups"), "changed"),
      n(dir.at("service_principals"), "added"), n(dir.at("service_principals"), "removed"),
      n(dir.at("service_principals"), "changed"), n(dir.at("role_assignments"), "added"),
      n(dir.at("role_assignments"), "removed"), n(dir.at("role_assignments"), "changed"),
      n(dir.at("memberships"), "added"), n(dir.at("memberships"), "removed"));
  auto what = [](const graph::NodeRef& r) { return r.type.empty() ? r.label : r.type; };
  if (!diff->added.empty() || !diff->removed.empty() || !diff->changed.empty()) std::printf("\n");
  for (const auto& r : diff->added) {
    std::printf("+ %-45s %s\n", what(r).c_str(), r.key.c_str());
  }
  for (const auto& r : diff->removed) {
    std::printf("- %-45s %s\n", what(r).c_str(), r.key.c_str());
  }
  for (const auto& c : diff->changed) {
    std::printf("~ %-45s %s\n", what(c.node).c_str(), c.node.key.c_str());
    for (const auto& p : c.changes) {
      std::printf("    %s: %s -> %s\n", p.path.c_str(), ShortJson(p.old_value).c_str(),
                  ShortJson(p.new_value).c_str());
    }
    if (c.more > 0) std::printf("    ... %lld more\n", static_cast<long long>(c.more));
  }
  if (!diff->edges_added.empty() || !diff->edges_removed.empty()) std::printf("\n");
  for (const auto& e : diff->edges_added) {
    std::printf("+ %s -%s-> %s\n", e.from.c_str(), e.type.c_str(), e.to.c_str());
  }
  for (const auto& e : diff->edges_removed) {
    std::printf("- %s -%s-> %s\n", e.from.c_str(), e.type.c_str(), e.to.c_str());
  }
  return 0;
}

}  // namespace

void AddGraphHistoryCommands(CLI::App* graph, CliContext& ctx) {
  auto f = std::make_shared<HistoryFlags>();
  auto* history = graph->add_subcommand("history", "List the scans the tenant's history keeps");
  history->add_option("--tenant-id", f->tenant_id, "Tenant (env: AZURE_TENANT_ID)");
  history->add_flag("--json", f->json, "Print one JSON object on stdout");
  history->callback([&ctx, f] { ctx.exit_code = RunHistory(ctx, *f); });

  auto* diff = graph->add_subcommand(
      "diff", "What changed between two scans: resources, properties, edges, the directory");
  diff->add_option("--tenant-id", f->tenant_id, "Tenant (env: AZURE_TENANT_ID)");
  diff->add_option("--from", f->from, "Older scan (default: the one before --to)");
  diff->add_option("--to", f->to, "Newer scan (default: the newest)");
  diff->add_option("--max-paths", f->max_paths, "Changed JSON paths listed per node (default 100)");
  diff->add_flag("--json", f->json, "Print one JSON object on stdout");
  diff->callback([&ctx, f] { ctx.exit_code = RunDiff(ctx, *f); });
}

}  // namespace atg::cli
