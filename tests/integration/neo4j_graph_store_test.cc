// The Neo4j GraphStore against a real Neo4j 5 (tests/services/neo4j.sh): the whole GraphStore
// contract suite (the same tests the SQLite store passes in the unit tests), plus what is
// particular to Neo4j: the data model as Cypher sees it, generations, injection safety, the
// choice of backend from NEO4J_* settings and its errors.
#include "graph/neo4j_graph_store.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/config.h"
#include "common/strings.h"
#include "graph/bolt_connection.h"
#include "graph/open_graph_store.h"
#include "graph/testing/graph_store_contract.h"
#include "service_env.h"

namespace atg::graph {
namespace {

using packstream::Value;

Neo4jGraphStoreOptions ServiceOptions() {
  Neo4jGraphStoreOptions o;
  o.uri = atg::testing::ServiceEnv("ATG_TEST_NEO4J_URI");
  o.user = atg::testing::ServiceEnv("ATG_TEST_NEO4J_USER");
  o.password = atg::testing::ServiceEnv("ATG_TEST_NEO4J_PASSWORD");
  return o;
}

class Neo4jBackend : public testing::GraphStoreBackend {
 public:
  Result<std::unique_ptr<GraphStore>> Open(const std::string& tenant,
                                           const testing::BackendOptions& b) override {
    Neo4jGraphStoreOptions o = ServiceOptions();
    if (b.max_queued_bytes > 0) o.max_queued_bytes = b.max_queued_bytes;
    if (b.quick_locks) o.scan_lease = std::chrono::milliseconds(1500);
    if (b.history > 0) o.history = b.history;
    return OpenNeo4jGraphStore(tenant, o);
  }
};

Result<testing::MadeBackend> MakeNeo4jBackend() {
  if (atg::testing::ServiceEnv("ATG_TEST_NEO4J_URI").empty()) {
    if (atg::testing::ServicesOptional()) {
      return testing::MadeBackend{nullptr, "ATG_TEST_NEO4J_URI not set"};
    }
    return Status::FailedPrecondition(atg::testing::MissingServiceMessage("ATG_TEST_NEO4J_URI"));
  }
  return testing::MadeBackend{std::make_unique<Neo4jBackend>(), ""};
}

}  // namespace

namespace testing {
INSTANTIATE_TEST_SUITE_P(Neo4j, GraphStoreContractTest,
                         ::testing::Values(GraphStoreBackendParam{"Neo4j", MakeNeo4jBackend}),
                         GraphStoreBackendName);
}  // namespace testing

namespace {

class Neo4jStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (atg::testing::ServiceEnv("ATG_TEST_NEO4J_URI").empty()) {
      if (atg::testing::ServicesOptional()) GTEST_SKIP() << "ATG_TEST_NEO4J_URI not set";
      FAIL() << atg::testing::MissingServiceMessage("ATG_TEST_NEO4J_URI");
    }
    options_ = ServiceOptions();
    tenant_ = "neo4j-store-test-" + std::to_string(getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name();
    tenant_ = ToLower(tenant_);
    auto address = ParseBoltUri(options_.uri);
    ASSERT_TRUE(address.ok());
    address_ = *address;
  }

  std::unique_ptr<GraphStore> Open(const std::string& tenant = "") {
    auto s = OpenNeo4jGraphStore(tenant.empty() ? tenant_ : tenant, options_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  // Runs Cypher directly, as a person looking at the database would.
  std::vector<std::vector<Value>> Cypher(const std::string& q) {
    BoltConnectOptions o;
    o.host = address_.host;
    o.port = address_.port;
    o.user = options_.user;
    o.password = options_.password;
    auto c = BoltConnection::Connect(o);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    if (!c.ok()) return {};
    auto r = (*c)->Run(q, Value::Map({{"tenant", Value::String(tenant_)}}));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->records : std::vector<std::vector<Value>>{};
  }

  int64_t CypherCount(const std::string& q) {
    auto rows = Cypher(q);
    return rows.empty() || rows[0].empty() ? -1 : rows[0][0].as_int();
  }

  Node Resource(const std::string& rg, const std::string& name) {
    json::object body;
    body["id"] = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/" + rg +
                 "/providers/Microsoft.Storage/storageAccounts/" + name;
    body["type"] = "Microsoft.Storage/storageAccounts";
    body["name"] = name;
    auto n = NodeFromArmResource(body);
    EXPECT_TRUE(n.ok());
    return *n;
  }

  ScanScope Full() const { return ScanScope{tenant_, {}, {}, {}, true, true}; }

  Neo4jGraphStoreOptions options_;
  BoltAddress address_;
  std::string tenant_;
};

TEST_F(Neo4jStoreTest, DataModelAsCypherSeesIt) {
  // No history, so that one generation is left at rest (the contract suite tests the history).
  options_.history = 1;
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Node a = Resource("rg", "a"), b = Resource("rg", "b");
  for (int round = 0; round < 2; ++round) {
    auto session = store->BeginScan(Full());
    ASSERT_TRUE(session.ok());
    ASSERT_TRUE((*session)->UpsertNodes({a, b, RegionNode("westeurope")}).ok());
    ASSERT_TRUE((*session)
                    ->AddEdges({MakeEdge(a.key, b.key, edge::kUses),
                                MakeEdge(a.key, RegionKey("westeurope"), edge::kLocatedIn)})
                    .ok());
    ASSERT_TRUE((*session)->Commit().ok());
  }
  // Model labels and relationship types are Neo4j's own; one generation is left at rest.
  EXPECT_EQ(CypherCount("MATCH (n:AtgNode:Resource {tenant: $tenant}) RETURN count(n)"), 2);
  EXPECT_EQ(CypherCount("MATCH (n:Region {tenant: $tenant}) RETURN count(n)"), 1);
  EXPECT_EQ(CypherCount("MATCH (:AtgNode {tenant: $tenant})-[r:USES]->() RETURN count(r)"), 1);
  EXPECT_EQ(CypherCount("MATCH (n:AtgNode {tenant: $tenant}) RETURN count(DISTINCT n.gen)"), 1);
  EXPECT_EQ(CypherCount("MATCH (n:AtgNode {tenant: $tenant}) WHERE n.placeholder IS NOT NULL "
                        "RETURN count(n)"),
            0);
  EXPECT_EQ(CypherCount("MATCH (t:AtgTenant {tenant: $tenant}) MATCH (n:AtgNode {tenant: "
                        "$tenant, gen: t.current}) RETURN count(n)"),
            4);
  EXPECT_EQ(CypherCount("MATCH (s:AtgScan {tenant: $tenant}) RETURN count(s)"), 1);
  EXPECT_EQ(CypherCount("MATCH (t:AtgTenant {tenant: $tenant}) WHERE t.lock_owner IS NULL "
                        "RETURN count(t)"),
            1);
  std::set<std::string> constraints;
  for (const auto& row : Cypher("SHOW CONSTRAINTS YIELD name")) {
    constraints.insert(row[0].as_string());
  }
  EXPECT_TRUE(constraints.count("atg_node_identity"));
  EXPECT_TRUE(constraints.count("atg_tenant_identity"));
}

TEST_F(Neo4jStoreTest, CypherInjectionIsInert) {
  auto store = Open();
  auto other = Open(tenant_ + "-bystander");
  ASSERT_TRUE(store && other);
  Node bystander = Resource("rg", "bystander");
  {
    auto s = other->BeginScan(ScanScope{tenant_ + "-bystander", {}, {}, {}, true, true});
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->UpsertNodes({bystander}).ok());
    ASSERT_TRUE((*s)->Commit().ok());
  }
  const std::string evil = "x'}) MATCH (m) DETACH DELETE m // \" ` \\ $tenant";
  Node n = Resource("rg", "evil");
  n.key += "/" + evil;
  n.name = evil;
  n.type = evil;
  n.properties = json::serialize(json::object{{"name", evil}});
  Edge e = MakeEdge(n.key, n.key + "/child", edge::kReferences);
  e.properties = json::serialize(json::object{{"q", evil}});
  auto s = store->BeginScan(Full());
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->UpsertNodes({n, Resource("rg", "plain")}).ok());
  ASSERT_TRUE((*s)->AddEdges({e, MakeEdge(Resource("rg", "plain").key, n.key, edge::kUses)}).ok());
  auto summary = (*s)->Commit();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  // The child has no node; on its parent it would be a self-loop: dropped.
  EXPECT_EQ(summary->dangling_edges_dropped, 1);
  auto got = store->GetNode(n.key);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(**got, n);
  EXPECT_TRUE(other->GetNode(bystander.key)->has_value());
  // An edge type outside the model cannot reach the Cypher text.
  auto s2 = store->BeginScan(Full());
  ASSERT_TRUE(s2.ok());
  Status bad = (*s2)->AddEdges({MakeEdge(n.key, n.key, "USES]->() DETACH DELETE n //")});
  auto commit = bad.ok() ? (*s2)->Commit() : Result<CommitSummary>(bad);
  ASSERT_FALSE(commit.ok());
  EXPECT_EQ(commit.status().code(), StatusCode::kInvalidArgument) << commit.status().ToString();
  s2->reset();
  EXPECT_TRUE(store->GetNode(n.key)->has_value());
  EXPECT_EQ(store->Stats()->resources, 2);
}

TEST_F(Neo4jStoreTest, OpenGraphStoreChoosesNeo4jWhenNeo4jUriIsSet) {
  const std::string port = std::to_string(address_.port);
  Settings settings = Settings::FromMaps({{"NEO4J_URI", "bolt://" + address_.host},
                                          {"NEO4J_PORT", port},
                                          {"NEO4J_USER", options_.user},
                                          {"NEO4J_PASSWORD", options_.password},
                                          {"ATG_DATA_DIR", "/nonexistent-atg-data-dir"}},
                                         {});
  OpenGraphStoreOptions readers;
  readers.create_if_missing = false;
  auto missing = OpenGraphStore(settings, tenant_, readers);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("atg scan --tenant-id " + tenant_), std::string::npos)
      << missing.status().message();
  auto store = OpenGraphStore(settings, tenant_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto session = (*store)->BeginScan(Full());
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE((*session)->UpsertNodes({Resource("rg", "via-settings")}).ok());
  ASSERT_TRUE((*session)->Commit().ok());
  EXPECT_EQ(CypherCount("MATCH (n:Resource {tenant: $tenant}) RETURN count(n)"), 1);
  EXPECT_TRUE(OpenGraphStore(settings, tenant_, readers).ok());

  // A refused login names the variables to check, never the password.
  const std::string wrong = "wrong-password-" + std::to_string(getpid());
  Settings bad_password = Settings::FromMaps(
      {{"NEO4J_URI", options_.uri}, {"NEO4J_USER", options_.user}, {"NEO4J_PASSWORD", wrong}}, {});
  auto refused = OpenGraphStore(bad_password, tenant_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated);
  const std::string& m = refused.status().message();
  EXPECT_EQ(m.rfind("Database connection failed: ", 0), 0u) << m;
  EXPECT_NE(m.find("NEO4J_PASSWORD"), std::string::npos) << m;
  EXPECT_EQ(m.find(wrong), std::string::npos) << m;
  // Nothing listens on port 1.
  Settings unreachable =
      Settings::FromMaps({{"NEO4J_URI", "bolt://127.0.0.1:1"}, {"NEO4J_PASSWORD", wrong}}, {});
  auto down = OpenGraphStore(unreachable, tenant_);
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(down.status().message().rfind("Database connection failed: ", 0), 0u);
  EXPECT_NE(down.status().message().find("NEO4J_URI"), std::string::npos);
  // A bad port setting is named.
  Settings bad_port = Settings::FromMaps({{"NEO4J_URI", "bolt://x"}, {"NEO4J_PORT", "0"}}, {});
  auto port_error = OpenGraphStore(bad_port, tenant_);
  ASSERT_FALSE(port_error.ok());
  EXPECT_NE(port_error.status().message().find("NEO4J_PORT"), std::string::npos);
}

TEST_F(Neo4jStoreTest, BoltTransactionsAndStreaming) {
  BoltConnectOptions o;
  o.host = address_.host;
  o.port = address_.port;
  o.user = options_.user;
  o.password = options_.password;
  auto conn = BoltConnection::Connect(o);
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  BoltConnection& c = **conn;
  Value p = Value::Map({{"tenant", Value::String(tenant_)}});
  const std::string create = "CREATE (:AtgBoltTest {tenant: $tenant})";
  const std::string count = "MATCH (n:AtgBoltTest {tenant: $tenant}) RETURN count(n)";
  auto counted = [&] {
    auto r = c.Run(count, p);
    return r.ok() ? r->records[0][0].as_int() : -1;
  };
  ASSERT_TRUE(c.Begin().ok());
  ASSERT_TRUE(c.Run(create, p).ok());
  ASSERT_TRUE(c.Rollback().ok());
  EXPECT_EQ(counted(), 0);
  ASSERT_TRUE(c.Begin().ok());
  ASSERT_TRUE(c.Run(create, p).ok());
  ASSERT_TRUE(c.Commit().ok());
  EXPECT_EQ(counted(), 1);
  // A failed query rolls the transaction back; Commit says so and the connection still works.
  ASSERT_TRUE(c.Begin().ok());
  ASSERT_TRUE(c.Run(create, p).ok());
  auto bad = c.Run("THIS IS NOT CYPHER", p);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  Status commit = c.Commit();
  EXPECT_EQ(commit.code(), StatusCode::kAborted) << commit.ToString();
  EXPECT_EQ(counted(), 1);
  EXPECT_TRUE(c.Rollback().ok());  // nothing open: a no-op
  // Streaming in small pulls sees every record; a sink error stops the query early.
  int64_t sum = 0, seen = 0;
  ASSERT_TRUE(c.RunEach(
                   "UNWIND range(1, 5000) AS i RETURN i", Value::Map({}),
                   [&](std::vector<Value>&& r) {
                     sum += r[0].as_int();
                     return Status::Ok();
                   },
                   100)
                  .ok());
  EXPECT_EQ(sum, 5000 * 5001 / 2);
  Status stopped = c.RunEach(
      "UNWIND range(1, 5000) AS i RETURN i", Value::Map({}),
      [&](std::vector<Value>&&) {
        return ++seen == 10 ? Status::Cancelled("enough") : Status::Ok();
      },
      100);
  EXPECT_EQ(stopped.code(), StatusCode::kCancelled);
  EXPECT_EQ(seen, 10);
  EXPECT_EQ(counted(), 1);
  ASSERT_TRUE(c.Run("MATCH (n:AtgBoltTest {tenant: $tenant}) DELETE n", p).ok());
}

}  // namespace
}  // namespace atg::graph
