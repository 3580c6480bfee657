// Helpers for tests that write graphs into a GraphStore: resource nodes, one-call scans,
// fragments. Header-only and used only by test files.
#ifndef ATG_GRAPH_TESTING_STORE_HELPERS_H_
#define ATG_GRAPH_TESTING_STORE_HELPERS_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "graph/graph_store.h"
#include "graph/model.h"

namespace atg::graph::testing {

inline const std::string kTestSubscription = "/subscriptions/00000000-0000-0000-0000-000000000001";

// A resource node in resource group `rg` of kTestSubscription.
inline Node Resource(const std::string& rg, const std::string& name,
                     const std::string& type = "Microsoft.Storage/storageAccounts") {
  json::object body;
  body["id"] = kTestSubscription + "/resourceGroups/" + rg + "/providers/" + type + "/" + name;
  body["name"] = name;
  body["type"] = type;
  body["location"] = "westeurope";
  auto n = NodeFromArmResource(body);
  EXPECT_TRUE(n.ok());
  return n.value();
}

// Writes one scan of the given fragments and commits it.
inline CommitSummary Scan(GraphStore& store, const ScanScope& scope,
                          std::vector<GraphFragment> fragments) {
  auto session = store.BeginScan(scope);
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  if (!session.ok()) return {};
  for (auto& f : fragments) EXPECT_TRUE((*session)->Add(std::move(f)).ok());
  auto summary = (*session)->Commit();
  EXPECT_TRUE(summary.ok()) << summary.status().ToString();
  return summary.ok() ? *summary : CommitSummary{};
}

inline GraphFragment Nodes(std::vector<Node> nodes, std::vector<Edge> edges = {}) {
  return GraphFragment{std::move(nodes), std::move(edges)};
}

inline bool Has(GraphStore& store, const std::string& key) {
  auto n = store.GetNode(key);
  EXPECT_TRUE(n.ok()) << n.status().ToString();
  return n.ok() && n->has_value();
}

}  // namespace atg::graph::testing

#endif  // ATG_GRAPH_TESTING_STORE_HELPERS_H_
