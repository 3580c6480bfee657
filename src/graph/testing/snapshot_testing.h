// Helpers for snapshot (backup) tests: a snapshot held in memory, an image of everything a
// reader sees, and a small graph with every kind of node and edge. Header-only, test files only.
#ifndef ATG_GRAPH_TESTING_SNAPSHOT_TESTING_H_
#define ATG_GRAPH_TESTING_SNAPSHOT_TESTING_H_

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "graph/graph_store.h"
#include "graph/rules/rules.h"
#include "graph/snapshot.h"
#include "graph/testing/fixtures.h"
#include "graph/testing/store_helpers.h"

namespace atg::graph::testing {

// A snapshot held in memory: what ExportSnapshot wrote, fed back to ImportSnapshot. With
// `fail_after_edges` >= 0 the source fails after that many edges, as a damaged backup would.
struct MemorySnapshot : SnapshotSink, SnapshotSource {
  std::vector<ScanRecord> scans;
  std::vector<NodeVersion> nodes;
  std::vector<EdgeVersion> edges;
  int fail_after_edges = -1;

  Status AddScan(ScanRecord s) override {
    scans.push_back(std::move(s));
    return Status::Ok();
  }
  Status AddNode(NodeVersion n) override {
    nodes.push_back(std::move(n));
    return Status::Ok();
  }
  Status AddEdge(EdgeVersion e) override {
    edges.push_back(std::move(e));
    return Status::Ok();
  }
  Result<std::vector<ScanRecord>> Scans() override { return scans; }
  Status ForEachNode(const std::function<Status(NodeVersion&&)>& visit) override {
    for (NodeVersion n : nodes) ATG_RETURN_IF_ERROR(visit(std::move(n)));
    return Status::Ok();
  }
  Status ForEachEdge(const std::function<Status(EdgeVersion&&)>& visit) override {
    int i = 0;
    for (EdgeVersion e : edges) {
      if (i++ == fail_after_edges) return Status::InvalidArgument("the backup is damaged (test)");
      ATG_RETURN_IF_ERROR(visit(std::move(e)));
    }
    return Status::Ok();
  }
};

// Everything a reader can see of the current graph, for before/after comparisons.
struct GraphImage {
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  std::map<std::string, int64_t> by_label, edges_by_type;
  bool operator==(const GraphImage&) const = default;
};

inline GraphImage Image(GraphStore& store) {
  GraphImage g;
  EXPECT_TRUE(store
                  .ForEachNode({},
                               [&](Node&& n) {
                                 g.nodes.push_back(std::move(n));
                                 return Status::Ok();
                               })
                  .ok());
  EXPECT_TRUE(store
                  .ForEachEdge({},
                               [&](Edge&& e) {
                                 g.edges.push_back(std::move(e));
                                 return Status::Ok();
                               })
                  .ok());
  auto stats = store.Stats();
  EXPECT_TRUE(stats.ok());
  if (stats.ok()) {
    g.by_label = stats->by_label;
    g.edges_by_type = stats->edges_by_type;
  }
  return g;
}

// A small graph with every kind of thing a backup must carry: resources, a tag, a region,
// directory objects and a membership, an edge with properties.
inline std::vector<GraphFragment> SnapshotGraph(const std::string& tenant, int variant) {
  std::vector<GraphFragment> out;
  auto vm = BuildArmFragment(
      LoadBody(
          "sdk-recordings/azure-libraries-for-net/Microsoft_Compute_virtualMachines__get.json"),
      RuleContext{tenant, {}});
  EXPECT_TRUE(vm.ok());
  out.push_back(*vm);
  json::object user = LoadBody("msgraph-docs/v1.0/user-get__example1.json");
  json::object group = LoadBody("msgraph-docs/v1.0/group-get__example1.json");
  group["members"] = json::array{json::value(*FindString(&user, "id"))};
  if (variant > 0) group["description"] = "changed in variant " + std::to_string(variant);
  out.push_back(*BuildDirectoryFragment(DirectoryKind::kUser, user, {}));
  out.push_back(*BuildDirectoryFragment(DirectoryKind::kGroup, group, {}));
  Node a = Resource("rg", "a"), b = Resource("rg", "b" + std::to_string(variant));
  Edge uses = MakeEdge(a.key, b.key, edge::kUses);
  uses.properties = R"({"path":"properties.x"})";
  out.push_back(Nodes({a, b}, {uses}));
  return out;
}

}  // namespace atg::graph::testing

#endif  // ATG_GRAPH_TESTING_SNAPSHOT_TESTING_H_
