#include "graph/sqlite_graph_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "common/strings.h"
#include "graph/rules/rules.h"
#include "graph/testing/fixtures.h"
#include "graph/testing/temp_dir.h"

namespace atg::graph {
namespace {

using testing::LoadBody;

constexpr char kTenant[] = "72f988bf-86f1-41af-91ab-2d7cd011db47";
constexpr char kRec[] = "sdk-recordings/azure-libraries-for-net/";
const std::string kSub = "/subscriptions/00000000-0000-0000-0000-000000000001";

// A resource node in resource group `rg` of the test subscription.
Node Resource(const std::string& rg, const std::string& name,
              const std::string& type = "Microsoft.Storage/storageAccounts") {
  json::object body;
  body["id"] = kSub + "/resourceGroups/" + rg + "/providers/" + type + "/" + name;
  body["name"] = name;
  body["type"] = type;
  body["location"] = "westeurope";
  auto n = NodeFromArmResource(body);
  EXPECT_TRUE(n.ok());
  return n.value();
}

class GraphStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<GraphStore> Open(const std::string& tenant = kTenant,
                                   SqliteGraphStoreOptions options = {}) {
    auto store = OpenSqliteGraphStore(dir_.path(), tenant, options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store.value()) : nullptr;
  }

  static ScanScope FullScope() { return ScanScope{kTenant, {}, {}, {}, true, true}; }

  // Writes one scan of the given fragments and commits it.
  static CommitSummary Scan(GraphStore& store, const ScanScope& scope,
                            std::vector<GraphFragment> fragments) {
    auto session = store.BeginScan(scope);
    EXPECT_TRUE(session.ok()) << session.status().ToString();
    if (!session.ok()) return {};
    for (auto& f : fragments) EXPECT_TRUE((*session)->Add(std::move(f)).ok());
    auto summary = (*session)->Commit();
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary.ok() ? *summary : CommitSummary{};
  }

  static GraphFragment Nodes(std::vector<Node> nodes, std::vector<Edge> edges = {}) {
    return GraphFragment{std::move(nodes), std::move(edges)};
  }

  static std::vector<std::string> Keys(GraphStore& store, const NodeFilter& filter = {}) {
    std::vector<std::string> keys;
    EXPECT_TRUE(store
                    .ForEachNode(filter,
                                 [&](Node&& n) {
                                   keys.push_back(n.key);
                                   return Status::Ok();
                                 })
                    .ok());
    return keys;
  }

  static std::vector<Edge> Edges(GraphStore& store, const EdgeFilter& filter = {}) {
    std::vector<Edge> edges;
    EXPECT_TRUE(store
                    .ForEachEdge(filter,
                                 [&](Edge&& e) {
                                   edges.push_back(std::move(e));
                                   return Status::Ok();
                                 })
                    .ok());
    return edges;
  }

  static bool Has(GraphStore& store, const std::string& key) {
    auto n = store.GetNode(key);
    EXPECT_TRUE(n.ok());
    return n.ok() && n->has_value();
  }

  testing::TempDir dir_;
};

TEST_F(GraphStoreTest, FullBodiesRoundTripUntruncated) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  json::object vm = LoadBody(std::string(kRec) + "Microsoft_Compute_virtualMachines__get.json");
  json::object big = LoadBody(std::string(kRec) + "Microsoft_Network_networkInterfaces__get.json");
  big["properties"].as_object()["blob"] = std::string(3 << 20, 'x');  // 3 MB property
  auto f1 = BuildArmFragment(vm, RuleContext{kTenant, {}});
  auto f2 = BuildArmFragment(big, RuleContext{kTenant, {}});
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
  }
  EXPECT_TRUE(*store->HasGraph());
}

TEST_F(GraphStoreTest, StatsCountExactly) {
  auto store = Open();
  std::vector<GraphFragment> fragments;
  for (const char* f : {"Microsoft_Compute_virtualMachines__get.json",
                        "Microsoft_Network_networkInterfaces__get.json",
                        "Microsoft_ManagedIdentity_userAssignedIdentities__get.json",
                        "Microsoft_ContainerService_managedClusters__get.json"}) {
    auto frag = BuildArmFragment(LoadBody(std::string(kRec) + f), RuleContext{kTenant, {}});
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
  json::object j = stats->ToJson();
  for (const char* k :
       {"tenant_id", "resources", "by_type", "users", "groups", "service_principals", "edges",
        "edges_by_type", "failed_scopes", "duration_seconds", "requests", "throttled",
        "throttle_wait_seconds", "floor_seconds", "last_scan_at"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
}

TEST_F(GraphStoreTest, ScanReportComesBackInStats) {
  auto store = Open();
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
}

TEST_F(GraphStoreTest, RescanReplacesOnlyWithinScope) {
  auto store = Open();
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
  auto edges = Edges(*store);
  // a1 -> b1 was not seen again (stale); b1 -> a2 lost its target; b1 -> a1 is outside the scope.
  ASSERT_EQ(edges.size(), 1u);
  EXPECT_EQ(edges[0].from, b1.key);
  EXPECT_EQ(edges[0].to, a1.key);
}

TEST_F(GraphStoreTest, TypeAndDirectoryScopes) {
  auto store = Open();
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
  EXPECT_TRUE(Has(*store, TenantKey(kTenant)));
}

TEST_F(GraphStoreTest, EdgesAreSettledAtCommit) {
  auto store = Open();
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
  CommitSummary s =
      Scan(*store, FullScope(),
           {Nodes({*lb_node, nic, *user, *rd_node},
                  {MakeEdge(nic.key, pool, edge::kReferences),
                   MakeEdge(nic.key, kSub + "/resourcegroups/rg/providers/x.y/z/missing",
                            edge::kReferences),
                   MakeEdge(nic.key, DirectoryObjectKey(user->original_id), edge::kAssignedTo),
                   MakeEdge(nic.key, "/providers/microsoft.authorization/roledefinitions/abc",
                            edge::kHasRole)})});
  EXPECT_EQ(s.edges_retargeted, 3);
  EXPECT_EQ(s.dangling_edges_dropped, 1);
  auto edges = Edges(*store, EdgeFilter{{}, nic.key, std::nullopt});
  ASSERT_EQ(edges.size(), 3u);
  std::map<std::string, Edge> by_type;
  for (auto& e : edges) by_type[e.type] = e;
  EXPECT_EQ(by_type["REFERENCES"].to, lb_node->key);
  auto via = ParseJson(by_type["REFERENCES"].properties);
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(via->at("via").as_string(), pool);
  EXPECT_EQ(by_type["ASSIGNED_TO"].to, user->key);
  EXPECT_EQ(by_type["HAS_ROLE"].to, rd_node->key);
}

TEST_F(GraphStoreTest, UnreferencedTagsAndRegionsAreRemoved) {
  auto store = Open();
  json::object body =
      LoadBody(std::string(kRec) + "Microsoft_ContainerService_managedClusters__get.json");
  auto f = BuildArmFragment(body, RuleContext{kTenant, {}});
  ASSERT_TRUE(f.ok());
  Scan(*store, FullScope(), {*f});
  EXPECT_TRUE(Has(*store, "/tags/tag2=value2"));
  Scan(*store, FullScope(), {});
  EXPECT_FALSE(Has(*store, "/tags/tag2=value2"));
  EXPECT_EQ(Keys(*store, NodeFilter{{"Region"}, {}, {}, {}}).size(), 0u);
}

TEST_F(GraphStoreTest, TenantsAreIsolated) {
  auto a = Open("tenant-a");
  auto b = Open("tenant-b");
  ASSERT_TRUE(a && b);
  Node n = Resource("rg", "only-in-a");
  Scan(*a, ScanScope{"tenant-a", {}, {}, {}, true, true}, {Nodes({n})});
  EXPECT_TRUE(Has(*a, n.key));
  EXPECT_FALSE(Has(*b, n.key));
  EXPECT_NE(*SqliteGraphPath(dir_.path(), "tenant-a"), *SqliteGraphPath(dir_.path(), "tenant-b"));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() + "/tenants/tenant-a/graph.db"));
  EXPECT_EQ(std::filesystem::status(dir_.path() + "/tenants/tenant-a").permissions(),
            std::filesystem::perms::owner_all);
  // A store refuses a scope of another tenant.
  EXPECT_FALSE(b->BeginScan(ScanScope{"tenant-a", {}, {}, {}, true, true}).ok());
  // A database file copied under another tenant's name is refused.
  std::filesystem::create_directories(dir_.path() + "/tenants/tenant-c");
  std::filesystem::copy_file(dir_.path() + "/tenants/tenant-a/graph.db",
                             dir_.path() + "/tenants/tenant-c/graph.db");
  auto c = OpenSqliteGraphStore(dir_.path(), "tenant-c");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(GraphStoreTest, BadTenantIdsAreRejectedBeforeAnyPath) {
  for (const char* bad : {"../x", "", "a/b", ".hidden", "..", "x y", "-rf", "a\\b"}) {
    auto s = OpenSqliteGraphStore(dir_.path(), bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path()));
  EXPECT_TRUE(ValidateTenantId("contoso.onmicrosoft.com").ok());
  EXPECT_TRUE(ValidateTenantId(kTenant).ok());
}

TEST_F(GraphStoreTest, MissingGraphIsNotCreatedWhenNotAllowed) {
  SqliteGraphStoreOptions options;
  options.create_if_missing = false;
  auto s = OpenSqliteGraphStore(dir_.path(), "nobody", options);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_NE(s.status().message().find("atg scan"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/tenants/nobody"));
}

TEST_F(GraphStoreTest, AbortAndReadersKeepThePreviousScan) {
  auto store = Open();
  Node old1 = Resource("rg", "old1");
  Scan(*store, FullScope(), {Nodes({old1})});
  {
    auto session = store->BeginScan(FullScope());
    ASSERT_TRUE(session.ok());
    ASSERT_TRUE((*session)->UpsertNodes({Resource("rg", "new1")}).ok());
    // Not committed yet: readers still see the previous scan only.
    EXPECT_TRUE(Has(*store, old1.key));
    EXPECT_FALSE(Has(*store, Resource("rg", "new1").key));
    // A second scan of the same tenant cannot start meanwhile.
    SqliteGraphStoreOptions quick;
    quick.busy_timeout_ms = 50;
    auto other = Open(kTenant, quick);
    auto second = other->BeginScan(FullScope());
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  }  // destroyed without Commit: aborted
  EXPECT_TRUE(Has(*store, old1.key));
  EXPECT_FALSE(Has(*store, Resource("rg", "new1").key));
  // After an explicit Abort, writes fail and Commit is refused.
  auto session = store->BeginScan(FullScope());
  ASSERT_TRUE(session.ok());
  (*session)->Abort();
  EXPECT_FALSE((*session)->UpsertNodes({Resource("rg", "x")}).ok());
  EXPECT_FALSE((*session)->Commit().ok());
  EXPECT_EQ(Keys(*store), (std::vector<std::string>{old1.key, TenantKey(kTenant)}));
}

TEST_F(GraphStoreTest, KilledScanLeavesThePreviousScanReadable) {
  auto store = Open();
  Node old1 = Resource("rg", "old1");
  Scan(*store, FullScope(), {Nodes({old1})});
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Child: a scan that writes far more than its page cache (so uncommitted pages reach the
    // WAL file), then is killed before Commit.
    close(ready[0]);
    SqliteGraphStoreOptions small;
    small.writer_cache_bytes = 1 << 20;
    auto child_store = OpenSqliteGraphStore(dir_.path(), kTenant, small);
    if (!child_store.ok()) _exit(2);
    auto session = (*child_store)->BeginScan(FullScope());
    if (!session.ok()) _exit(3);
    for (int batch = 0; batch < 20; ++batch) {
      std::vector<Node> nodes;
      for (int i = 0; i < 200; ++i) {
        Node n = Resource("rg", "killed-" + std::to_string(batch) + "-" + std::to_string(i));
        n.properties = "{\"pad\":\"" + std::string(4000, 'p') + "\"}";
        nodes.push_back(std::move(n));
      }
      if (!(*session)->UpsertNodes(std::move(nodes)).ok()) _exit(4);
    }
    // Wait until the writer drained the queue, then tell the parent.
    (void)(*session)->AddEdges({});
    sleep(1);
    char c = 'k';
    (void)!write(ready[1], &c, 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  close(ready[0]);
  std::error_code ec;
  EXPECT_GT(std::filesystem::file_size(dir_.path() + "/tenants/" + kTenant + "/graph.db-wal", ec),
            4u << 20);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  auto reopened = Open();
  EXPECT_TRUE(Has(*reopened, old1.key));
  EXPECT_FALSE(Has(*reopened, Resource("rg", "killed-0-0").key));
  auto stats = reopened->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->resources, 1);
  // The killed scan's lock is gone: a new scan works.
  Node new1 = Resource("rg", "new1");
  Scan(*reopened, FullScope(), {Nodes({new1})});
  EXPECT_TRUE(Has(*reopened, new1.key));
  EXPECT_FALSE(Has(*reopened, old1.key));
}

TEST_F(GraphStoreTest, ConcurrentProducers) {
  SqliteGraphStoreOptions options;
  options.max_queued_bytes = 256 << 10;  // force back-pressure
  auto store = Open(kTenant, options);
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
}

TEST_F(GraphStoreTest, ForEachNodeFilters) {
  auto store = Open();
  Scan(*store, FullScope(),
       {Nodes({Resource("rg1", "a"), Resource("rg2", "b"),
               Resource("rg1", "vm", "Microsoft.Compute/virtualMachines")})});
  EXPECT_EQ(Keys(*store, NodeFilter{{}, {}, {}, {"RG1"}}).size(), 2u);
  EXPECT_EQ(Keys(*store, NodeFilter{{}, {"Microsoft.Compute/virtualMachines"}, {}, {}}).size(), 1u);
  EXPECT_EQ(Keys(*store, NodeFilter{{"Resource"}, {}, {}, {}}).size(), 3u);
  // A visitor error stops the iteration and is returned.
  int seen = 0;
  Status s = store->ForEachNode({}, [&](Node&&) {
    ++seen;
    return Status::Cancelled("enough");
  });
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  EXPECT_EQ(seen, 1);
}

}  // namespace
}  // namespace atg::graph
