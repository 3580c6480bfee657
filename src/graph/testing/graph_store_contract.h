// The GraphStore contract (graph_store.h) as a test suite that every backend must pass with the
// same observable results: a test binary includes this header once and instantiates
// GraphStoreContractTest with its backends, e.g.
//   INSTANTIATE_TEST_SUITE_P(Sqlite, GraphStoreContractTest,
//                            ::testing::Values(GraphStoreBackendParam{"Sqlite", MakeSqlite}),
//                            GraphStoreBackendName);
// The SQLite backend runs in the unit tests; the Neo4j backend needs the real service and runs
// in the integration tests. Header-only and used only by test files.
#ifndef ATG_GRAPH_TESTING_GRAPH_STORE_CONTRACT_H_
#define ATG_GRAPH_TESTING_GRAPH_STORE_CONTRACT_H_

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/strings.h"
#include "graph/graph_store.h"
#include "graph/rules/rules.h"
#include "graph/testing/fixtures.h"
#include "graph/testing/snapshot_testing.h"
#include "graph/testing/store_helpers.h"
#include "graph/traverse.h"

namespace atg::graph::testing {

struct BackendOptions {
  size_t max_queued_bytes = 0;  // 0: the backend's default
  // A second BeginScan of a tenant gives up fast, and a killed scan's lock frees fast.
  bool quick_locks = false;
  int history = 0;  // scans kept; 0: the backend's default
};

// One backend under test; it owns whatever the stores need (a directory, a server address).
class GraphStoreBackend {
 public:
  virtual ~GraphStoreBackend() = default;
  // Opens (creating) the store of `tenant`. Also called in a forked child.
  virtual Result<std::unique_ptr<GraphStore>> Open(const std::string& tenant,
                                                   const BackendOptions& options) = 0;
};

// Makes the backend for one test; a non-empty `skip` skips the test, a non-OK status fails it.
struct MadeBackend {
  std::unique_ptr<GraphStoreBackend> backend;
  std::string skip;
};
struct GraphStoreBackendParam {
  std::string name;
  std::function<Result<MadeBackend>()> make;
};

inline void PrintTo(const GraphStoreBackendParam& p, std::ostream* os) { *os << p.name; }

inline std::string GraphStoreBackendName(
    const ::testing::TestParamInfo<GraphStoreBackendParam>& info) {
  return info.param.name;
}

class GraphStoreContractTest : public ::testing::TestWithParam<GraphStoreBackendParam> {
 protected:
  static constexpr char kRec[] = "sdk-recordings/azure-libraries-for-net/";
  const std::string kSub = kTestSubscription;

  void SetUp() override {
    auto made = GetParam().make();
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    if (!made->skip.empty()) GTEST_SKIP() << made->skip;
    backend_ = std::move(made->backend);
    // Tenants unique to this test, so that backends whose stores outlive a test (a server)
    // start empty.
    std::random_device rd;
    prefix_ = "t" + std::to_string(rd() % 100000000) + "-";
    tenant_ = prefix_ + "main";
  }

  // A tenant id unique to this test.
  std::string T(const std::string& name) const { return prefix_ + name; }

  std::unique_ptr<GraphStore> Open(const std::string& tenant = "", BackendOptions options = {}) {
    auto store = backend_->Open(tenant.empty() ? tenant_ : tenant, options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store.value()) : nullptr;
  }

  ScanScope FullScope() const { return ScanScope{tenant_, {}, {}, {}, true, true}; }

  static std::vector<std::string> Keys(GraphStore& store, const NodeFilter& filter = {}) {
    std::vector<std::string> keys;
    Status s = store.ForEachNode(filter, [&](Node&& n) {
      keys.push_back(n.key);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return keys;
  }

  static std::vector<Edge> Edges(GraphStore& store, const EdgeFilter& filter = {}) {
    std::vector<Edge> edges;
    Status s = store.ForEachEdge(filter, [&](Edge&& e) {
      edges.push_back(std::move(e));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return edges;
  }

  std::unique_ptr<GraphStoreBackend> backend_;
  std::string prefix_;
  std::string tenant_;
};

TEST_P(GraphStoreContractTest, FullBodiesRoundTripUntruncated) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(*store->HasGraph());
  json::object vm = LoadBody(std::string(kRec) + "Microsoft_Compute_virtualMachines__get.json");
  json::object big = LoadBody(std::string(kRec) + "Microsoft_Network_networkInterfaces__get.json");
  big["properties"].as_object()["blob"] = std::string(3 << 20, 'x');  // 3 MB property
  auto f1 = BuildArmFragment(vm, RuleContext{tenant_, {}});
  auto f2 = BuildArmFragment(big, RuleContext{tenant_, {}});
  ASSERT_TRUE(f1.ok() && f2.ok());
  Scan(*store, FullScope(), {*f1, *f2});
  for (const json::object* body : {&vm, &big}) {
    auto node = store->GetNode(ToLower(*FindString(body, "id")));
    ASSERT_TRUE(node.ok());
    ASSERT_TRUE(node->has_value());
    auto props = (*node)->Properties();
    ASSERT_TRUE(props.ok());
    EXPECT_EQ(*props, json::value(*body));
    EXPECT_EQ((*node)->original_id, *FindString(body, "id"));
    EXPECT_EQ((*node)->label, "Resource");
  }
  EXPECT_TRUE(*store->HasGraph());
  auto missing = store->GetNode("/subscriptions/nope");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(GraphStoreContractTest, StatsCountExactly) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<GraphFragment> fragments;
  for (const char* f : {"Microsoft_Compute_virtualMachines__get.json",
                        "Microsoft_Network_networkInterfaces__get.json",
                        "Microsoft_ManagedIdentity_userAssignedIdentities__get.json",
                        "Microsoft_ContainerService_managedClusters__get.json"}) {
    auto frag = BuildArmFragment(LoadBody(std::string(kRec) + f), RuleContext{tenant_, {}});
    ASSERT_TRUE(frag.ok());
    fragments.push_back(std::move(frag.value()));
  }
  json::object user_body = LoadBody("msgraph-docs/v1.0/user-get__example1.json");
  auto user = BuildDirectoryFragment(DirectoryKind::kUser, user_body, {});
  auto sp =
      BuildDirectoryFragment(DirectoryKind::kServicePrincipal,
                             LoadBody("msgraph-docs/v1.0/serviceprincipal-get__example1.json"), {});
  ASSERT_TRUE(user.ok() && sp.ok());
  json::object group = LoadBody("msgraph-docs/v1.0/group-get__example1.json");
  group["members"] = json::array{json::value(*FindString(&user_body, "id"))};  // plain ids
  auto grp = BuildDirectoryFragment(DirectoryKind::kGroup, group, {});
  ASSERT_TRUE(grp.ok());
  fragments.push_back(*user);
  fragments.push_back(*sp);
  fragments.push_back(*grp);
  Scan(*store, FullScope(), fragments);
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->tenant_id, tenant_);
  EXPECT_EQ(stats->resources, 4);
  EXPECT_EQ(stats->by_type.at("microsoft.compute/virtualmachines"), 1);
  EXPECT_EQ(stats->by_type.at("microsoft.managedidentity/userassignedidentities"), 1);
  EXPECT_EQ(stats->by_label.at("ManagedIdentity"), 1);
  EXPECT_EQ(stats->by_label.at("Tenant"), 1);
  EXPECT_EQ(stats->by_label.at("Tag"), 2);
  EXPECT_EQ(stats->users, 1);
  EXPECT_EQ(stats->groups, 1);
  EXPECT_EQ(stats->service_principals, 1);
  // The member placeholder resolved to the user: one MEMBER_OF edge.
  EXPECT_EQ(stats->edges_by_type.at("MEMBER_OF"), 1);
  EXPECT_EQ(stats->edges_by_type.at("TAGGED_WITH"), 2);
  // Containment edges whose parents (resource groups) were not scanned are dropped.
  EXPECT_EQ(stats->edges_by_type.count("CONTAINS"), 0u);
  int64_t edges = 0;
  for (const auto& e : Edges(*store)) {
    ++edges;
    EXPECT_TRUE(Has(*store, e.from)) << e.from;
    EXPECT_TRUE(Has(*store, e.to)) << e.to;
  }
  EXPECT_EQ(stats->edges, edges);
  int64_t nodes = 0;
  for (const auto& [l, n] : stats->by_label) nodes += n;
  EXPECT_EQ(stats->nodes, nodes);
  EXPECT_EQ(static_cast<int64_t>(Keys(*store).size()), nodes);
  json::object j = stats->ToJson();
  for (const char* k :
       {"tenant_id", "resources", "by_type", "users", "groups", "service_principals", "edges",
        "edges_by_type", "failed_scopes", "duration_seconds", "requests", "throttled",
        "throttle_wait_seconds", "floor_seconds", "last_scan_at"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
}

TEST_P(GraphStoreContractTest, EmptyStoreHasNoGraph) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(*store->HasGraph());
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->nodes, 0);
  EXPECT_EQ(stats->edges, 0);
  EXPECT_TRUE(stats->last_scan.empty());
  EXPECT_TRUE(Keys(*store).empty());
  EXPECT_TRUE(Edges(*store).empty());
  EXPECT_FALSE(Has(*store, TenantKey(tenant_)));
}

TEST_P(GraphStoreContractTest, ScanReportComesBackInStats) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto session = store->BeginScan(FullScope());
  ASSERT_TRUE(session.ok());
  json::object report;
  report["duration_seconds"] = 12.5;
  report["failed_scopes"] = json::array{
      json::object{{"scope", "/subscriptions/x"}, {"reason", "403 AuthorizationFailed"}}};
  (*session)->SetReport(report);
  ASSERT_TRUE((*session)->UpsertNodes({Resource("rg", "a")}).ok());
  ASSERT_TRUE((*session)->Commit().ok());
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok());
  json::object j = stats->ToJson();
  EXPECT_EQ(j.at("duration_seconds").as_double(), 12.5);
  EXPECT_EQ(j.at("failed_scopes").as_array().size(), 1u);
  EXPECT_EQ(j.at("throttled").as_int64(), 0);
  EXPECT_EQ(stats->last_scan.at("commit").at("nodes_written").as_int64(), 2);  // + tenant
  EXPECT_TRUE(stats->last_scan.at("scope").at("directory").as_bool());
  EXPECT_FALSE(std::string(stats->last_scan.at("finished_at").as_string()).empty());
}

TEST_P(GraphStoreContractTest, RescanReplacesOnlyWithinScope) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Node a1 = Resource("rg-a", "a1"), a2 = Resource("rg-a", "a2"), b1 = Resource("rg-b", "b1");
  Scan(*store, FullScope(),
       {Nodes({a1, a2, b1}, {MakeEdge(a1.key, b1.key, edge::kReferences),
                             MakeEdge(b1.key, a2.key, edge::kReferences),
                             MakeEdge(b1.key, a1.key, edge::kReferences)})});
  ASSERT_EQ(Edges(*store).size(), 3u);

  ScanScope scope = FullScope();
  scope.resource_groups = {"RG-A"};
  scope.directory = false;
  CommitSummary s = Scan(*store, scope, {Nodes({a1})});
  EXPECT_TRUE(Has(*store, a1.key));
  EXPECT_FALSE(Has(*store, a2.key));  // gone from Azure
  EXPECT_TRUE(Has(*store, b1.key));   // outside the scope
  EXPECT_EQ(s.nodes_removed, 1);
  // a1 -> b1 was not written again; b1 -> a2 lost its target.
  EXPECT_EQ(s.edges_removed, 2);
  EXPECT_EQ(s.nodes_written, 2);  // a1 + the tenant
  EXPECT_EQ(s.dangling_edges_dropped, 0);
  auto edges = Edges(*store);
  // b1 -> a1 is outside the scope.
  ASSERT_EQ(edges.size(), 1u);
  EXPECT_EQ(edges[0].from, b1.key);
  EXPECT_EQ(edges[0].to, a1.key);
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->resources, 2);
  EXPECT_EQ(stats->last_scan.at("scope").at("resource_groups").as_array().size(), 1u);
}

TEST_P(GraphStoreContractTest, RescanSettlesCarriedEdgesAndKeepsRewrittenOnes) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  json::object lb;
  lb["id"] = kSub + "/resourceGroups/rg-a/providers/Microsoft.Network/loadBalancers/lb";
  lb["type"] = "Microsoft.Network/loadBalancers";
  auto lb_node = NodeFromArmResource(lb);
  ASSERT_TRUE(lb_node.ok());
  json::object pool_body;
  pool_body["id"] = lb_node->original_id + "/backendAddressPools/pool1";
  pool_body["type"] = "Microsoft.Network/loadBalancers/backendAddressPools";
  auto pool = NodeFromArmResource(pool_body);
  ASSERT_TRUE(pool.ok());
  Node a1 = Resource("rg-a", "a1"), b1 = Resource("rg-b", "b1"), b2 = Resource("rg-b", "b2");
  Edge b1_pool = MakeEdge(b1.key, pool->key, edge::kReferences);
  b1_pool.properties = R"({"path":"properties.pool"})";
  Scan(
      *store, FullScope(),
      {Nodes({*lb_node, *pool, a1, b1, b2, RegionNode("westeurope")},
             {b1_pool, MakeEdge(b2.key, a1.key, edge::kUses), MakeEdge(a1.key, b2.key, edge::kUses),
              MakeEdge(a1.key, RegionKey("westeurope"), edge::kLocatedIn),
              MakeEdge(b1.key, RegionKey("westeurope"), edge::kLocatedIn)})});
  ASSERT_EQ(Edges(*store).size(), 5u);

  // Re-scan rg-a: the pool is gone (its load balancer stays), a1 is written again with its
  // edge to b2 but not its region edge.
  ScanScope scope = FullScope();
  scope.resource_groups = {"rg-a"};
  scope.directory = false;
  CommitSummary s =
      Scan(*store, scope, {Nodes({*lb_node, a1}, {MakeEdge(a1.key, b2.key, edge::kUses)})});
  EXPECT_EQ(s.nodes_removed, 1);     // the pool
  EXPECT_EQ(s.edges_removed, 1);     // a1 -> region, not written again
  EXPECT_EQ(s.edges_retargeted, 1);  // b1 -> pool now points at the load balancer
  EXPECT_EQ(s.dangling_edges_dropped, 0);
  EXPECT_FALSE(Has(*store, pool->key));
  auto from_b1 = Edges(*store, EdgeFilter{{std::string(edge::kReferences)}, b1.key, std::nullopt});
  ASSERT_EQ(from_b1.size(), 1u);
  EXPECT_EQ(from_b1[0].to, lb_node->key);
  auto props = ParseJson(from_b1[0].properties);
  ASSERT_TRUE(props.ok()) << from_b1[0].properties;
  EXPECT_EQ(props->at("via").as_string(), pool->key);
  EXPECT_EQ(props->at("path").as_string(), "properties.pool");
  // Outside the scope, kept; written again, kept; the region is still referenced by b1.
  EXPECT_EQ(Edges(*store, EdgeFilter{{}, b2.key, a1.key}).size(), 1u);
  EXPECT_EQ(Edges(*store, EdgeFilter{{}, a1.key, b2.key}).size(), 1u);
  EXPECT_EQ(Edges(*store, EdgeFilter{{}, std::nullopt, RegionKey("westeurope")}).size(), 1u);
  EXPECT_TRUE(Has(*store, RegionKey("westeurope")));
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->edges, 4);
  EXPECT_EQ(stats->last_scan.at("commit").at("edges_retargeted").as_int64(), 1);
}

TEST_P(GraphStoreContractTest, TypeAndDirectoryScopes) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Node vm = Resource("rg", "vm", "Microsoft.Compute/virtualMachines");
  Node sa = Resource("rg", "sa");
  auto user = NodeFromDirectoryObject(DirectoryKind::kUser,
                                      LoadBody("msgraph-docs/v1.0/user-get__example1.json"));
  ASSERT_TRUE(user.ok());
  Scan(*store, FullScope(), {Nodes({vm, sa, *user})});
  ScanScope types = FullScope();
  types.types = {"microsoft.compute/virtualMachines"};
  types.directory = false;
  Scan(*store, types, {});
  EXPECT_FALSE(Has(*store, vm.key));
  EXPECT_TRUE(Has(*store, sa.key));
  EXPECT_TRUE(Has(*store, user->key));
  ScanScope directory_only = FullScope();
  directory_only.arm = false;
  Scan(*store, directory_only, {});
  EXPECT_FALSE(Has(*store, user->key));
  EXPECT_TRUE(Has(*store, sa.key));
  EXPECT_TRUE(Has(*store, TenantKey(tenant_)));
  // A filtered scan keeps the node's whole body and label.
  auto kept = store->GetNode(sa.key);
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ(**kept, sa);
}

TEST_P(GraphStoreContractTest, EdgesAreSettledAtCommit) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  json::object lb;
  lb["id"] = kSub + "/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb";
  lb["type"] = "Microsoft.Network/loadBalancers";
  auto lb_node = NodeFromArmResource(lb);
  Node nic = Resource("rg", "nic", "Microsoft.Network/networkInterfaces");
  auto user = NodeFromDirectoryObject(DirectoryKind::kUser,
                                      LoadBody("msgraph-docs/v1.0/user-get__example1.json"));
  json::object rd;
  rd["id"] = kSub + "/providers/Microsoft.Authorization/roleDefinitions/abc";
  auto rd_node = NodeFromArmResource(rd);
  ASSERT_TRUE(lb_node.ok() && user.ok() && rd_node.ok());
  const std::string pool = lb_node->key + "/backendaddresspools/pool1";
  // Edges first, nodes last: endpoints are settled at Commit whatever the order.
  CommitSummary s =
      Scan(*store, FullScope(),
           {Nodes({}, {MakeEdge(nic.key, pool, edge::kReferences),
                       MakeEdge(nic.key, kSub + "/resourcegroups/rg/providers/x.y/z/missing",
                                edge::kReferences),
                       MakeEdge(nic.key, DirectoryObjectKey(user->original_id), edge::kAssignedTo),
                       MakeEdge(nic.key, "/providers/microsoft.authorization/roledefinitions/abc",
                                edge::kHasRole)}),
            Nodes({*lb_node, nic, *user, *rd_node})});
  EXPECT_EQ(s.edges_retargeted, 3);
  EXPECT_EQ(s.dangling_edges_dropped, 1);
  EXPECT_EQ(s.edges_written, 4);
  auto edges = Edges(*store, EdgeFilter{{}, nic.key, std::nullopt});
  ASSERT_EQ(edges.size(), 3u);
  std::map<std::string, Edge> by_type;
  for (auto& e : edges) by_type[e.type] = e;
  EXPECT_EQ(by_type["REFERENCES"].to, lb_node->key);
  auto via = ParseJson(by_type["REFERENCES"].properties);
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(via->at("via").as_string(), pool);
  EXPECT_EQ(by_type["ASSIGNED_TO"].to, user->key);
  EXPECT_EQ(by_type["ASSIGNED_TO"].properties, "");
  EXPECT_EQ(by_type["HAS_ROLE"].to, rd_node->key);
  // Edges come ordered by from, type, to.
  EXPECT_EQ(edges[0].type, "ASSIGNED_TO");
  EXPECT_EQ(edges[1].type, "HAS_ROLE");
  EXPECT_EQ(edges[2].type, "REFERENCES");
  // No node was made up for an endpoint.
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->nodes, 5);
  EXPECT_EQ(
      Edges(*store, EdgeFilter{{std::string(edge::kHasRole)}, std::nullopt, std::nullopt}).size(),
      1u);
  EXPECT_EQ(Edges(*store, EdgeFilter{{}, std::nullopt, user->key}).size(), 1u);
}

TEST_P(GraphStoreContractTest, UnreferencedTagsAndRegionsAreRemoved) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  json::object body =
      LoadBody(std::string(kRec) + "Microsoft_ContainerService_managedClusters__get.json");
  auto f = BuildArmFragment(body, RuleContext{tenant_, {}});
  ASSERT_TRUE(f.ok());
  Scan(*store, FullScope(), {*f});
  EXPECT_TRUE(Has(*store, "/tags/tag2=value2"));
  const int64_t before = store->Stats()->nodes;
  CommitSummary s = Scan(*store, FullScope(), {});
  EXPECT_FALSE(Has(*store, "/tags/tag2=value2"));
  EXPECT_EQ(Keys(*store, NodeFilter{{"Region"}, {}, {}, {}}).size(), 0u);
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->nodes, 1);              // the tenant
  EXPECT_EQ(s.nodes_removed, before - 1);  // the cluster, its tags and its region
}

TEST_P(GraphStoreContractTest, TenantsAreIsolated) {
  auto a = Open(T("a"));
  auto b = Open(T("b"));
  ASSERT_TRUE(a && b);
  Node n = Resource("rg", "only-in-a");
  Node shared = Resource("rg", "in-both");
  Scan(*a, ScanScope{T("a"), {}, {}, {}, true, true}, {Nodes({n, shared})});
  Node shared_b = shared;
  shared_b.properties = R"({"seen":"by b"})";
  Scan(*b, ScanScope{T("b"), {}, {}, {}, true, true}, {Nodes({shared_b})});
  EXPECT_TRUE(Has(*a, n.key));
  EXPECT_FALSE(Has(*b, n.key));
  EXPECT_EQ((*a->GetNode(shared.key))->properties, shared.properties);
  EXPECT_EQ((*b->GetNode(shared.key))->properties, shared_b.properties);
  EXPECT_EQ(Keys(*a).size(), 3u);
  EXPECT_EQ(Keys(*b).size(), 2u);
  EXPECT_EQ(a->Stats()->resources, 2);
  EXPECT_EQ(b->Stats()->resources, 1);
  // A full re-scan of b removes nothing of a.
  Scan(*b, ScanScope{T("b"), {}, {}, {}, true, true}, {});
  EXPECT_TRUE(Has(*a, shared.key));
  EXPECT_EQ(a->tenant_id(), ToLower(T("a")));
  // A store refuses a scope of another tenant.
  EXPECT_FALSE(b->BeginScan(ScanScope{T("a"), {}, {}, {}, true, true}).ok());
}

TEST_P(GraphStoreContractTest, AbortAndReadersKeepThePreviousScan) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Node old1 = Resource("rg", "old1");
  Scan(*store, FullScope(), {Nodes({old1})});
  {
    auto session = store->BeginScan(FullScope());
    ASSERT_TRUE(session.ok());
    ASSERT_TRUE((*session)->UpsertNodes({Resource("rg", "new1")}).ok());
    ASSERT_TRUE(
        (*session)->AddEdges({MakeEdge(old1.key, Resource("rg", "new1").key, "USES")}).ok());
    // Not committed yet: readers still see the previous scan only.
    EXPECT_TRUE(Has(*store, old1.key));
    EXPECT_FALSE(Has(*store, Resource("rg", "new1").key));
    EXPECT_EQ(store->Stats()->resources, 1);
    // A second scan of the same tenant cannot start meanwhile.
    BackendOptions quick;
    quick.quick_locks = true;
    auto other = Open(tenant_, quick);
    ASSERT_NE(other, nullptr);
    auto second = other->BeginScan(FullScope());
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  }  // destroyed without Commit: aborted
  EXPECT_TRUE(Has(*store, old1.key));
  EXPECT_FALSE(Has(*store, Resource("rg", "new1").key));
  // After an explicit Abort, writes fail and Commit is refused.
  auto session = store->BeginScan(FullScope());
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  (*session)->Abort();
  EXPECT_FALSE((*session)->UpsertNodes({Resource("rg", "x")}).ok());
  EXPECT_FALSE((*session)->Commit().ok());
  EXPECT_EQ(Keys(*store), (std::vector<std::string>{old1.key, TenantKey(tenant_)}));
  EXPECT_TRUE(Edges(*store).empty());
  // And the tenant can be scanned again.
  Scan(*store, FullScope(), {Nodes({old1})});
  EXPECT_EQ(Keys(*store).size(), 2u);
}

TEST_P(GraphStoreContractTest, KilledScanLeavesThePreviousScanReadable) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Node old1 = Resource("rg", "old1");
  Scan(*store, FullScope(), {Nodes({old1})});
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Child: a scan that writes a few MB, then is killed before Commit.
    close(ready[0]);
    BackendOptions quick;
    quick.quick_locks = true;
    auto child_store = backend_->Open(tenant_, quick);
    if (!child_store.ok()) _exit(2);
    auto session = (*child_store)->BeginScan(FullScope());
    if (!session.ok()) _exit(3);
    for (int batch = 0; batch < 10; ++batch) {
      std::vector<Node> nodes;
      for (int i = 0; i < 100; ++i) {
        Node n = Resource("rg", "killed-" + std::to_string(batch) + "-" + std::to_string(i));
        n.properties = "{\"pad\":\"" + std::string(4000, 'p') + "\"}";
        nodes.push_back(std::move(n));
      }
      if (!(*session)->UpsertNodes(std::move(nodes)).ok()) _exit(4);
    }
    (void)(*session)->AddEdges({MakeEdge(old1.key, RegionKey("westeurope"), "LOCATED_IN")});
    sleep(1);  // let the writer reach the database
    char c = 'k';
    (void)!write(ready[1], &c, 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  close(ready[0]);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  auto reopened = Open();
  ASSERT_NE(reopened, nullptr);
  EXPECT_TRUE(Has(*reopened, old1.key));
  EXPECT_FALSE(Has(*reopened, Resource("rg", "killed-0-0").key));
  auto stats = reopened->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->resources, 1);
  EXPECT_EQ(stats->edges, 0);
  // The killed scan's lock goes away (at once, or when its lease runs out): a new scan works.
  Result<std::unique_ptr<ScanSession>> session = Status::Unavailable("not tried");
  for (int i = 0; i < 100; ++i) {
    session = reopened->BeginScan(FullScope());
    if (session.ok() || session.status().code() != StatusCode::kFailedPrecondition) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  Node new1 = Resource("rg", "new1");
  ASSERT_TRUE((*session)->UpsertNodes({new1}).ok());
  auto summary = (*session)->Commit();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_TRUE(Has(*reopened, new1.key));
  EXPECT_FALSE(Has(*reopened, old1.key));
  EXPECT_EQ(Keys(*reopened).size(), 2u);
}

TEST_P(GraphStoreContractTest, ConcurrentProducers) {
  BackendOptions options;
  options.max_queued_bytes = 256 << 10;  // force back-pressure
  auto store = Open(tenant_, options);
  ASSERT_NE(store, nullptr);
  auto session = store->BeginScan(FullScope());
  ASSERT_TRUE(session.ok());
  constexpr int kThreads = 4, kBatches = 25, kPerBatch = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<Node> nodes;
        std::vector<Edge> edges;
        for (int i = 0; i < kPerBatch; ++i) {
          Node n = Resource("rg" + std::to_string(t), "r" + std::to_string(b * kPerBatch + i));
          edges.push_back(MakeEdge(n.key, RegionKey("westeurope"), edge::kLocatedIn));
          nodes.push_back(std::move(n));
        }
        nodes.push_back(RegionNode("westeurope"));
        if (!(*session)->AddEdges(std::move(edges)).ok()) ++failures;
        if (!(*session)->UpsertNodes(std::move(nodes)).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  auto summary = (*session)->Commit();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->resources, kThreads * kBatches * kPerBatch);
  EXPECT_EQ(stats->edges_by_type.at("LOCATED_IN"), kThreads * kBatches * kPerBatch);
  EXPECT_EQ(stats->by_label.at("Region"), 1);
  EXPECT_EQ(summary->dangling_edges_dropped, 0);
  EXPECT_EQ(summary->nodes_written, kThreads * kBatches * kPerBatch + 2);  // + tenant, region
}

TEST_P(GraphStoreContractTest, ForEachNodeFilters) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Scan(*store, FullScope(),
       {Nodes({Resource("rg1", "a"), Resource("rg2", "b"),
               Resource("rg1", "vm", "Microsoft.Compute/virtualMachines")})});
  EXPECT_EQ(Keys(*store, NodeFilter{{}, {}, {}, {"RG1"}}).size(), 2u);
  EXPECT_EQ(Keys(*store, NodeFilter{{}, {"Microsoft.Compute/virtualMachines"}, {}, {}}).size(), 1u);
  EXPECT_EQ(Keys(*store, NodeFilter{{"Resource"}, {}, {}, {}}).size(), 3u);
  EXPECT_EQ(Keys(*store, NodeFilter{{"Resource", "Tenant"}, {}, {}, {}}).size(), 4u);
  EXPECT_EQ(Keys(*store, NodeFilter{{}, {}, {"00000000-0000-0000-0000-000000000001"}, {}}).size(),
            3u);
  auto keys = Keys(*store);
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  // A visitor error stops the iteration and is returned.
  int seen = 0;
  Status s = store->ForEachNode({}, [&](Node&&) {
    ++seen;
    return Status::Cancelled("enough");
  });
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  EXPECT_EQ(seen, 1);
  // A visitor may read the store while the iteration runs, and the store still works after a
  // stopped iteration.
  int found = 0;
  ASSERT_TRUE(store
                  ->ForEachNode({},
                                [&](Node&& n) {
                                  auto again = store->GetNode(n.key);
                                  if (again.ok() && again->has_value()) ++found;
                                  return Status::Ok();
                                })
                  .ok());
  EXPECT_EQ(found, 4);
}

TEST_P(GraphStoreContractTest, ManyNodesStreamInOrder) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  for (int i = 0; i < 3000; ++i) {
    nodes.push_back(Resource("rg", "r" + std::to_string(i)));
    if (i > 0) edges.push_back(MakeEdge(nodes[i].key, nodes[i - 1].key, edge::kUses));
  }
  Scan(*store, FullScope(), {Nodes(nodes, edges)});
  auto keys = Keys(*store);
  ASSERT_EQ(keys.size(), 3001u);
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  auto all = Edges(*store);
  ASSERT_EQ(all.size(), 2999u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](const Edge& a, const Edge& b) {
    return std::tie(a.from, a.type, a.to) < std::tie(b.from, b.type, b.to);
  }));
  // A re-scan of half of them replaces the rest.
  nodes.resize(1500);
  edges.resize(1499);
  CommitSummary s = Scan(*store, FullScope(), {Nodes(nodes, edges)});
  EXPECT_EQ(s.nodes_removed, 1500);
  EXPECT_EQ(s.edges_removed, 1500);
  EXPECT_EQ(Keys(*store).size(), 1501u);
  EXPECT_EQ(Edges(*store).size(), 1499u);
}

// ---- snapshots (backups) ----

TEST_P(GraphStoreContractTest, SnapshotExportImportRoundTrip) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  MemorySnapshot none;
  EXPECT_EQ(store->ExportSnapshot(none).code(), StatusCode::kNotFound);
  Scan(*store, FullScope(), SnapshotGraph(tenant_, 0));
  const GraphImage before = Image(*store);
  MemorySnapshot snap;
  ASSERT_TRUE(store->ExportSnapshot(snap).ok());
  ASSERT_FALSE(snap.scans.empty());
  EXPECT_EQ(FindString(&snap.scans.back().scope, "tenant_id").value_or(""), tenant_);
  EXPECT_EQ(snap.nodes.size(), before.nodes.size());
  EXPECT_EQ(snap.edges.size(), before.edges.size());
  // Something else is scanned; the import brings the exported graph back, exactly.
  Scan(*store, FullScope(), SnapshotGraph(tenant_, 1));
  ASSERT_NE(Image(*store), before);
  Status s = store->ImportSnapshot(snap);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Image(*store), before);
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(json::serialize(stats->last_scan.at("scope")),
            json::serialize(json::value(snap.scans.back().scope)));
  // A scan after the import works on the restored graph as on any other.
  Scan(*store, FullScope(), SnapshotGraph(tenant_, 2));
  EXPECT_TRUE(Has(*store, Resource("rg", "b2").key));
  EXPECT_FALSE(Has(*store, Resource("rg", "b0").key));
}

TEST_P(GraphStoreContractTest, SnapshotImportIntoAnEmptyStore) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Scan(*store, FullScope(), SnapshotGraph(tenant_, 0));
  const GraphImage before = Image(*store);
  MemorySnapshot snap;
  ASSERT_TRUE(store->ExportSnapshot(snap).ok());
  // The same tenant in a second store of the backend that never saw a scan (a new server, a
  // new data directory): another tenant's store is not allowed to take it.
  auto other = Open(T("other"));
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->ImportSnapshot(snap).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(*other->HasGraph());
  // An edge that joins nothing the snapshot holds is refused.
  MemorySnapshot bad = snap;
  bad.edges.push_back({MakeEdge(Resource("rg", "a").key, "/subscriptions/x/nothing", edge::kUses),
                       bad.scans.back().gen, 0});
  auto fresh = Open(T("fresh"));
  ASSERT_NE(fresh, nullptr);
  Scan(*fresh, ScanScope{T("fresh"), {}, {}, {}, true, true}, {Nodes({Resource("rg", "z")})});
  const GraphImage fresh_before = Image(*fresh);
  for (auto& n : bad.nodes) {
    if (n.node.key == TenantKey(tenant_)) n.node = TenantNode(T("fresh"));
  }
  for (auto& sc : bad.scans) sc.scope["tenant_id"] = T("fresh");
  EXPECT_EQ(fresh->ImportSnapshot(bad).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Image(*fresh), fresh_before);
}

TEST_P(GraphStoreContractTest, SnapshotImportThatFailsChangesNothing) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Scan(*store, FullScope(), SnapshotGraph(tenant_, 0));
  MemorySnapshot snap;
  ASSERT_TRUE(store->ExportSnapshot(snap).ok());
  Scan(*store, FullScope(), SnapshotGraph(tenant_, 1));
  const GraphImage before = Image(*store);
  snap.fail_after_edges = static_cast<int>(snap.edges.size()) / 2;
  EXPECT_EQ(store->ImportSnapshot(snap).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Image(*store), before);
  // Broken records are refused before anything changes, too.
  MemorySnapshot bad = snap;
  bad.fail_after_edges = -1;
  bad.nodes.front().node.label = "NotALabel";
  EXPECT_EQ(store->ImportSnapshot(bad).code(), StatusCode::kInvalidArgument);
  bad = snap;
  bad.fail_after_edges = -1;
  bad.scans.clear();
  EXPECT_EQ(store->ImportSnapshot(bad).code(), StatusCode::kInvalidArgument);
  bad = snap;
  bad.fail_after_edges = -1;
  bad.nodes.push_back(bad.nodes.back());  // a node twice
  Status twice = store->ImportSnapshot(bad);
  EXPECT_FALSE(twice.ok());
  bad = snap;
  bad.fail_after_edges = -1;
  bad.edges.push_back(bad.edges.back());  // an edge twice
  EXPECT_EQ(store->ImportSnapshot(bad).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Image(*store), before);
  // The store still takes scans and imports.
  snap.fail_after_edges = -1;
  ASSERT_TRUE(store->ImportSnapshot(snap).ok());
  Scan(*store, FullScope(), SnapshotGraph(tenant_, 3));
}

TEST_P(GraphStoreContractTest, SnapshotWhileAScanIsOpen) {
  auto store = Open(tenant_, BackendOptions{.quick_locks = true});
  ASSERT_NE(store, nullptr);
  Scan(*store, FullScope(), SnapshotGraph(tenant_, 0));
  const GraphImage before = Image(*store);
  auto session = store->BeginScan(FullScope());
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE((*session)->Add(Nodes({Resource("rg", "uncommitted")})).ok());
  // The export sees the committed graph only; an import waits for no one and says why.
  MemorySnapshot snap;
  ASSERT_TRUE(store->ExportSnapshot(snap).ok());
  for (const auto& n : snap.nodes) EXPECT_NE(n.node.key, Resource("rg", "uncommitted").key);
  EXPECT_EQ(snap.nodes.size(), before.nodes.size());
  Status s = store->ImportSnapshot(snap);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  (*session)->Abort();
  EXPECT_EQ(Image(*store), before);
}

// ---- history ----

// The graph as it reads at one moment: nodes and edges in the store's order.
struct ScanImage {
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  bool operator==(const ScanImage&) const = default;
};

inline ScanImage Current(GraphStore& store) {
  GraphImage g = Image(store);
  return ScanImage{std::move(g.nodes), std::move(g.edges)};
}

inline Result<ScanImage> At(GraphStore& store, int64_t gen) {
  ScanImage img;
  ATG_RETURN_IF_ERROR(store.ForEachNodeAt(gen, [&](Node&& n) {
    img.nodes.push_back(std::move(n));
    return Status::Ok();
  }));
  ATG_RETURN_IF_ERROR(store.ForEachEdgeAt(gen, [&](Edge&& e) {
    img.edges.push_back(std::move(e));
    return Status::Ok();
  }));
  return img;
}

TEST_P(GraphStoreContractTest, HistoryKeepsTheLastScansReadableAsTheyWere) {
  auto store = Open(tenant_, BackendOptions{.history = 3});
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->History()->empty());
  std::vector<ScanImage> images;
  for (int v = 0; v < 4; ++v) {
    auto fragments = SnapshotGraph(tenant_, v);
    if (v == 2) {  // a narrower scan: one resource group only, the rest stays
      Scan(*store, ScanScope{tenant_, {}, {"rg"}, {}, true, false},
           {Nodes({Resource("rg", "a"), Resource("rg", "only-in-2")})});
    } else {
      Scan(*store, FullScope(), fragments);
    }
    images.push_back(Current(*store));
  }
  auto history = store->History();
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 3u);
  EXPECT_LT((*history)[0].gen, (*history)[1].gen);
  EXPECT_LT((*history)[1].gen, (*history)[2].gen);
  // Scope and report are kept with each scan.
  EXPECT_EQ(FindArray(&(*history)[1].scope, "resource_groups")->size(), 1u);
  for (size_t i = 0; i < 3; ++i) {
    auto img = At(*store, (*history)[i].gen);
    ASSERT_TRUE(img.ok()) << img.status().ToString();
    EXPECT_EQ(*img, images[i + 1]) << "scan " << (*history)[i].gen;
  }
  // The first scan left the history; asking for it says so.
  const int64_t dropped = (*history)[0].gen - 1;
  EXPECT_EQ(store->ForEachNodeAt(dropped, [](Node&&) { return Status::Ok(); }).code(),
            StatusCode::kNotFound);
  // A snapshot carries the history; an import brings every kept scan back as it was.
  MemorySnapshot snap;
  ASSERT_TRUE(store->ExportSnapshot(snap).ok());
  ASSERT_EQ(snap.scans.size(), 3u);
  EXPECT_GT(snap.nodes.size(), images[3].nodes.size());  // older versions too
  Scan(*store, FullScope(), SnapshotGraph(tenant_, 9));
  ASSERT_TRUE(store->ImportSnapshot(snap).ok());
  history = store->History();
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*history)[i].started_at, snap.scans[i].started_at);
    auto img = At(*store, (*history)[i].gen);
    ASSERT_TRUE(img.ok()) << img.status().ToString();
    EXPECT_EQ(*img, images[i + 1]) << "restored scan " << i;
  }
  EXPECT_EQ(Current(*store), images[3]);
  // And scanning on after the import keeps building the same history.
  Scan(*store, FullScope(), SnapshotGraph(tenant_, 5));
  history = store->History();
  ASSERT_EQ(history->size(), 3u);
  auto img = At(*store, (*history)[1].gen);
  ASSERT_TRUE(img.ok());
  EXPECT_EQ(*img, images[3]);
}

// ---- reading around a node (graph/traverse.h) ----

TEST_P(GraphStoreContractTest, FindNeighborsAndShortestPaths) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  // user -MEMBER_OF-> group <-ASSIGNED_TO- assignment <-CONTAINS- vault; vault -LOCATED_IN-> region
  Node vault = Resource("rg", "vault", "Microsoft.KeyVault/vaults");
  Node other = Resource("rg", "vault2", "Microsoft.KeyVault/vaults");
  json::object user_body{{"id", "11111111-0000-0000-0000-000000000001"},
                         {"displayName", "Ada"},
                         {"userPrincipalName", "ada@example.com"}};
  json::object group_body{{"id", "22222222-0000-0000-0000-000000000002"},
                          {"displayName", "Vault readers"},
                          {"members", json::array{"11111111-0000-0000-0000-000000000001"}}};
  auto user = BuildDirectoryFragment(DirectoryKind::kUser, user_body, {});
  auto group = BuildDirectoryFragment(DirectoryKind::kGroup, group_body, {});
  ASSERT_TRUE(user.ok() && group.ok());
  json::object ra{
      {"id", vault.original_id + "/providers/Microsoft.Authorization/roleAssignments/ra1"},
      {"name", "ra1"},
      {"type", "Microsoft.Authorization/roleAssignments"}};
  auto ra_node = NodeFromArmResource(ra);
  ASSERT_TRUE(ra_node.ok());
  Node region = RegionNode("westeurope");
  std::vector<Edge> edges = {
      MakeEdge(ra_node->key, GroupKey("22222222-0000-0000-0000-000000000002"), edge::kAssignedTo),
      MakeEdge(vault.key, ra_node->key, edge::kContains),
      MakeEdge(vault.key, region.key, edge::kLocatedIn),
      MakeEdge(other.key, region.key, edge::kLocatedIn)};
  Scan(*store, FullScope(), {*user, *group, Nodes({vault, other, *ra_node, region}, edges)});

  auto by_name = FindNode(*store, "Ada");
  ASSERT_TRUE(by_name.ok()) << by_name.status().ToString();
  EXPECT_EQ(by_name->key, UserKey("11111111-0000-0000-0000-000000000001"));
  EXPECT_NE(by_name->properties, "");
  auto by_id = FindNode(*store, vault.original_id);  // the id as Azure writes it
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->key, vault.key);
  EXPECT_EQ(FindNode(*store, "nobody").status().code(), StatusCode::kNotFound);

  auto around = Neighbors(*store, *by_name, TraverseOptions{{}, Direction::kBoth, 3, 100});
  ASSERT_TRUE(around.ok()) << around.status().ToString();
  std::map<std::string, int> depth;
  for (const auto& s : around->steps) depth[s.node.key] = s.depth;
  EXPECT_EQ(depth[GroupKey("22222222-0000-0000-0000-000000000002")], 1);
  EXPECT_EQ(depth[ra_node->key], 2);
  EXPECT_EQ(depth[vault.key], 3);
  EXPECT_EQ(depth.count(other.key), 0u);  // only through the region: not walked

  auto paths =
      ShortestPaths(*store, *by_name, vault, TraverseOptions{{}, Direction::kBoth, 6, 1000});
  ASSERT_TRUE(paths.ok()) << paths.status().ToString();
  ASSERT_EQ(paths->paths.size(), 1u);
  const auto& steps = paths->paths[0].steps;
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].edge.type, "MEMBER_OF");
  EXPECT_TRUE(steps[0].forward);
  EXPECT_EQ(steps[1].edge.type, "ASSIGNED_TO");
  EXPECT_FALSE(steps[1].forward);
  EXPECT_EQ(steps[2].node.key, vault.key);
  // Over the chosen edge types only.
  auto none =
      ShortestPaths(*store, *by_name, vault,
                    TraverseOptions{{"MEMBER_OF", "ASSIGNED_TO"}, Direction::kBoth, 6, 1000});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->paths.empty());
  auto unreachable =
      ShortestPaths(*store, *by_name, other, TraverseOptions{{}, Direction::kBoth, 6, 1000});
  ASSERT_TRUE(unreachable.ok());
  EXPECT_TRUE(unreachable->paths.empty());
}

}  // namespace atg::graph::testing

#endif  // ATG_GRAPH_TESTING_GRAPH_STORE_CONTRACT_H_
