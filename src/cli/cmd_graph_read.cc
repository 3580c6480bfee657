// `atg graph show`, `atg graph neighbors` and `atg graph path`: a node, the graph around it, and
// how two nodes are connected (graph/traverse.h), on either store.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "graph/open_graph_store.h"
#include "graph/traverse.h"

namespace atg::cli {
namespace {

struct ReadFlags {
  std::string tenant_id;
  std::string node;
  std::string target;
  std::vector<std::string> edges;
  std::string direction = "both";
  int depth = 1;
  int max_nodes = 10000;
  int max_paths = 10;
  bool json = false;
};

int Fail(const char* program, const Status& s) {
  std::fprintf(stderr, "%s: %s\n", program, s.message().c_str());
  return s.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

Result<std::unique_ptr<graph::GraphStore>> OpenTenant(const CliContext& ctx, const ReadFlags& f) {
  std::string tenant = f.tenant_id;
  if (tenant.empty()) tenant = ctx.settings.GetString("AZURE_TENANT_ID", "");
  if (tenant.empty()) {
    return Status::InvalidArgument("no tenant given; pass --tenant-id ID or set AZURE_TENANT_ID");
  }
  graph::OpenGraphStoreOptions o;
  o.create_if_missing = false;
  return graph::OpenGraphStore(ctx.settings, tenant, o);
}

Result<graph::TraverseOptions> Options(const ReadFlags& f) {
  graph::TraverseOptions o;
  o.edge_types = f.edges;
  for (std::string& t : o.edge_types) {
    for (char& c : t) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!graph::IsModelEdgeType(t)) {
      return Status::InvalidArgument("--edge " + t +
                                     " is not an edge type of the graph (CONTAINS, REFERENCES, "
                                     "USES, CONNECTED_TO, SECURED_BY, USES_IDENTITY, ASSIGNED_TO, "
                                     "HAS_ROLE, MEMBER_OF, TAGGED_WITH, LOCATED_IN, LOGS_TO)");
    }
  }
  if (f.direction == "out") {
    o.direction = graph::Direction::kOut;
  } else if (f.direction == "in") {
    o.direction = graph::Direction::kIn;
  } else if (f.direction != "both") {
    return Status::InvalidArgument("--direction must be out, in or both");
  }
  if (f.depth < 1 || f.depth > 20) return Status::InvalidArgument("--depth must be 1 to 20");
  o.max_depth = f.depth;
  o.max_nodes = static_cast<size_t>(std::max(f.max_nodes, 1));
  return o;
}

std::string What(const graph::Node& n) { return n.type.empty() ? n.label : n.type; }

void PrintStep(const graph::Step& s, int indent) {
  std::printf("%*s%s %s %s  %s (%s)\n", indent, "", s.forward ? "-" : "<-", s.edge.type.c_str(),
              s.forward ? "->" : "-", s.node.key.c_str(), What(s.node).c_str());
}

int RunShow(CliContext& ctx, const ReadFlags& f) {
  constexpr const char* kProgram = "atg graph show";
  SetUpCliLogging(ctx);
  auto store = OpenTenant(ctx, f);
  if (!store.ok()) return Fail(kProgram, store.status());
  auto node = graph::FindNode(**store, f.node);
  if (!node.ok()) return Fail(kProgram, node.status());
  std::vector<graph::Edge> out, in;
  Status s =
      (*store)->ForEachEdge(graph::EdgeFilter{{}, node->key, std::nullopt}, [&](graph::Edge&& e) {
        out.push_back(std::move(e));
        return Status::Ok();
      });
  if (s.ok()) {
    s = (*store)->ForEachEdge(graph::EdgeFilter{{}, std::nullopt, node->key}, [&](graph::Edge&& e) {
      in.push_back(std::move(e));
      return Status::Ok();
    });
  }
  if (!s.ok()) return Fail(kProgram, s);
  auto props = node->Properties();
  if (f.json) {
    auto edge_list = [](const std::vector<graph::Edge>& edges) {
      json::array a;
      for (const auto& e : edges) {
        json::object o{{"from", e.from}, {"type", e.type}, {"to", e.to}};
        if (!e.properties.empty()) {
          auto p = ParseJson(e.properties);
          o["properties"] = p.ok() ? *p : json::value(e.properties);
        }
        a.push_back(std::move(o));
      }
      return a;
    };
    json::object o{{"key", node->key},
                   {"label", node->label},
                   {"type", node->type},
                   {"name", node->name},
                   {"original_id", node->original_id},
                   {"subscription_id", node->subscription_id},
                   {"resource_group", node->resource_group},
                   {"location", node->location},
                   {"properties", props.ok() ? *props : json::value(node->properties)},
                   {"out", edge_list(out)},
                   {"in", edge_list(in)}};
    std::printf("%s\n", json::serialize(o).c_str());
    return 0;
  }
  std::printf("%s  %s\n", What(*node).c_str(), node->key.c_str());
  std::printf("  name: %s\n  label: %s\n", node->name.c_str(), node->label.c_str());
  if (!node->location.empty()) std::printf("  location: %s\n", node->location.c_str());
  if (!node->original_id.empty()) std::printf("  id: %s\n", node->original_id.c_str());
  std::printf("edges out (%zu):\n", out.size());
  for (const auto& e : out) std::printf("  -%s-> %s\n", e.type.c_str(), e.to.c_str());
  std::printf("edges in (%zu):\n", in.size());
  for (const auto& e : in) std::printf("  <-%s- %s\n", e.type.c_str(), e.from.c_str());
  std::printf("properties:\n%s",
              props.ok() ? PrettyJson(*props).c_str() : node->properties.c_str());
  return 0;
}

int RunNeighbors(CliContext& ctx, const ReadFlags& f) {
  constexpr const char* kProgram = "atg graph neighbors";
  SetUpCliLogging(ctx);
  auto options = Options(f);
  if (!options.ok()) return Fail(kProgram, options.status());
  auto store = OpenTenant(ctx, f);
  if (!store.ok()) return Fail(kProgram, store.status());
  auto node = graph::FindNode(**store, f.node);
  if (!node.ok()) return Fail(kProgram, node.status());
  auto n = graph::Neighbors(**store, *node, *options);
  if (!n.ok()) return Fail(kProgram, n.status());
  if (f.json) {
    std::printf("%s\n", json::serialize(n->ToJson()).c_str());
    return 0;
  }
  std::printf("%s  %s\n", What(n->start).c_str(), n->start.key.c_str());
  for (const auto& s : n->steps) PrintStep(s, 2 * s.depth);
  std::fprintf(stderr, "%zu nodes within %d step(s)%s\n", n->steps.size(), options->max_depth,
               n->truncated ? " (stopped at --max-nodes)" : "");
  return 0;
}

int RunPath(CliContext& ctx, const ReadFlags& f) {
  constexpr const char* kProgram = "atg graph path";
  SetUpCliLogging(ctx);
  ReadFlags g = f;
  if (g.depth == 1) g.depth = 6;
  if (g.max_nodes == 10000) g.max_nodes = 500000;
  auto options = Options(g);
  if (!options.ok()) return Fail(kProgram, options.status());
  auto store = OpenTenant(ctx, f);
  if (!store.ok()) return Fail(kProgram, store.status());
  auto from = graph::FindNode(**store, f.node);
  if (!from.ok()) return Fail(kProgram, from.status());
  auto to = graph::FindNode(**store, f.target);
  if (!to.ok()) return Fail(kProgram, to.status());
  auto paths =
      graph::ShortestPaths(**store, *from, *to, *options, static_cast<size_t>(f.max_paths));
  if (!paths.ok()) return Fail(kProgram, paths.status());
  if (f.json) {
    std::printf("%s\n", json::serialize(paths->ToJson()).c_str());
    return paths->paths.empty() ? 1 : 0;
  }
  if (paths->paths.empty()) {
    std::fprintf(stderr, "%s: no path from %s to %s within %d edges%s\n", kProgram,
                 from->key.c_str(), to->key.c_str(), options->max_depth,
                 f.edges.empty() ? "" : " of the given types");
    return 1;
  }
  for (size_t i = 0; i < paths->paths.size(); ++i) {
    std::printf("path %zu (%zu edges):\n  %s  %s\n", i + 1, paths->paths[i].steps.size(),
                What(paths->from).c_str(), paths->from.key.c_str());
    for (const auto& s : paths->paths[i].steps) PrintStep(s, 4);
  }
  return 0;
}

}  // namespace

void AddGraphReadCommands(CLI::App* graph, CliContext& ctx) {
  auto f = std::make_shared<ReadFlags>();
  auto* show = graph->add_subcommand("show", "A node: its fields, properties and edges");
  show->add_option("node", f->node, "Node id, key or name")->required();
  show->add_option("--tenant-id", f->tenant_id, "Tenant (env: AZURE_TENANT_ID)");
  show->add_flag("--json", f->json, "Print one JSON object on stdout");
  show->callback([&ctx, f] { ctx.exit_code = RunShow(ctx, *f); });

  auto* nb = graph->add_subcommand("neighbors", "The nodes within --depth edges of a node");
  nb->add_option("node", f->node, "Node id, key or name")->required();
  nb->add_option("--depth", f->depth, "Edges away (1 to 20, default 1)");
  nb->add_option("--edge", f->edges, "Only edges of this type (repeatable)");
  nb->add_option("--direction", f->direction, "out|in|both (default both)");
  nb->add_option("--max-nodes", f->max_nodes, "Stop after this many nodes (default 10000)");
  nb->add_option("--tenant-id", f->tenant_id, "Tenant (env: AZURE_TENANT_ID)");
  nb->add_flag("--json", f->json, "Print one JSON object on stdout");
  nb->callback([&ctx, f] { ctx.exit_code = RunNeighbors(ctx, *f); });

  auto* path = graph->add_subcommand("path", "The shortest paths between two nodes");
  path->add_option("from", f->node, "Start node id, key or name")->required();
  path->add_option("to", f->target, "Target node id, key or name")->required();
  path->add_option("--edge", f->edges, "Only edges of this type (repeatable)");
  path->add_option("--direction", f->direction, "out|in|both (default both)");
  path->add_option("--depth", f->depth, "Longest path in edges (default 6)");
  path->add_option("--max-paths", f->max_paths, "Paths listed (default 10)");
  path->add_option("--tenant-id", f->tenant_id, "Tenant (env: AZURE_TENANT_ID)");
  path->add_flag("--json", f->json, "Print one JSON object on stdout");
  path->callback([&ctx, f] { ctx.exit_code = RunPath(ctx, *f); });
}

}  // namespace atg::cli
