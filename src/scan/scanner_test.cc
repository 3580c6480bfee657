// The scanner against an in-process simulator over real loopback HTTP: the simulated tenant is
// the ground truth every count and node key is compared with.
#include "scan/scanner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stop_token>

#include "graph/arm_id.h"
#include "scan/testing/sim_scan.h"
#include "sim/generator.h"
#include "sim/throttle.h"

namespace atg::scan {
namespace {

using testing::SimScan;

sim::SimulatorOptions SmallTenant(int resources = 400, int subscriptions = 2) {
  sim::SimulatorOptions o;
  o.generator.seed = 7;
  o.generator.subscriptions = subscriptions;
  o.generator.resources = resources;
  o.generator.users = 120;
  o.generator.groups = 15;
  o.throttle = sim::ThrottleMode::kOff;
  return o;
}

int64_t MemberEdgesInTruth(const sim::Tenant& t) {
  int64_t n = 0;
  for (const auto& g : t.groups) n += g.as_object().at("members").as_array().size();
  return n;
}

TEST(ScannerTest, ScansTheWholeTenantExactly) {
  SimScan s;
  ASSERT_TRUE(s.Start(SmallTenant()).ok());
  auto summary = s.Scan(s.Options());
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  const sim::Tenant& t = s.simulator->tenant();
  EXPECT_TRUE(summary->failed_scopes.empty());
  EXPECT_TRUE(summary->resource_graph);
  EXPECT_EQ(summary->subscriptions, static_cast<int64_t>(t.subscriptions.size()));
  EXPECT_EQ(summary->resource_groups, static_cast<int64_t>(t.resource_groups.size()));
  EXPECT_EQ(summary->resources, static_cast<int64_t>(t.resources.size()));
  EXPECT_EQ(summary->by_type, s.TruthByType());
  EXPECT_EQ(summary->users, static_cast<int64_t>(t.users.size()));
  EXPECT_EQ(summary->groups, static_cast<int64_t>(t.groups.size()));
  EXPECT_EQ(summary->service_principals, static_cast<int64_t>(t.service_principals.size()));
  // Node by node, not only the counts.
  EXPECT_EQ(s.StoredKeys(), s.TruthKeys());
  // Every membership arrived, also of groups with more members than Graph expands (20).
  size_t big = 0;
  for (const auto& g : t.groups) big += g.as_object().at("members").as_array().size() > 20;
  EXPECT_GT(big, 0u) << "the tenant should have a group with more than 20 members";
  EXPECT_EQ(summary->edges_by_type["MEMBER_OF"], MemberEdgesInTruth(t));
  EXPECT_GT(summary->edges, summary->resources);
  EXPECT_GT(summary->requests_resource_graph, 0);
  EXPECT_GT(summary->requests_arm, 0);
  EXPECT_GT(summary->requests_graph, 0);
  EXPECT_GT(summary->floor_seconds, 0);
  auto json = summary->ToJson();
  for (const char* key :
       {"tenant_id", "resources", "by_type", "users", "groups", "service_principals", "edges",
        "edges_by_type", "failed_scopes", "duration_seconds", "requests", "throttled",
        "throttle_wait_seconds", "floor_seconds"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
}

TEST(ScannerTest, FallsBackToArmListsWhenResourceGraphIsForbidden) {
  SimScan s;
  auto o = SmallTenant();
  o.resource_graph_forbidden = true;
  ASSERT_TRUE(s.Start(o).ok());
  auto summary = s.Scan(s.Options());
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_FALSE(summary->resource_graph);
  EXPECT_TRUE(summary->failed_scopes.empty()) << summary->failed_scopes.front().scope;
  EXPECT_EQ(summary->by_type, s.TruthByType());
  EXPECT_EQ(s.StoredKeys(), s.TruthKeys());
}

TEST(ScannerTest, AForbiddenSubscriptionIsAFailedScopeAndTheRestIsComplete) {
  SimScan s;
  auto o = SmallTenant(400, 3);
  sim::Tenant probe;
  {
    // The generator is deterministic: find the second subscription's id first.
    auto t = sim::GenerateTenant(o.generator);
    ASSERT_TRUE(t.ok());
    probe = std::move(*t);
  }
  std::string forbidden(probe.subscriptions[1].as_object().at("subscriptionId").as_string());
  o.forbidden_subscriptions = {forbidden};
  ASSERT_TRUE(s.Start(o).ok());
  auto summary = s.Scan(s.Options());
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  ASSERT_EQ(summary->failed_scopes.size(), 1u);
  EXPECT_EQ(summary->failed_scopes[0].scope, "/subscriptions/" + forbidden);
  EXPECT_NE(summary->failed_scopes[0].reason.find("AuthorizationFailed"), std::string::npos)
      << summary->failed_scopes[0].reason;
  // Everything outside the forbidden subscription, node by node.
  std::set<std::string> want;
  std::string prefix = "/subscriptions/" + ToLower(forbidden) + "/";
  for (const auto& k : s.TruthKeys()) {
    if (!k.starts_with(prefix) && k + "/" != prefix) want.insert(k);
  }
  std::set<std::string> got = s.StoredKeys();
  EXPECT_EQ(got, want);
}

TEST(ScannerTest, TypeFilterPullsInReferencedResources) {
  SimScan s;
  ASSERT_TRUE(s.Start(SmallTenant()).ok());
  auto o = s.Options();
  o.types = {"Microsoft.Compute/virtualMachines"};
  auto summary = s.Scan(o);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  auto truth = s.TruthByType();
  int64_t vms = truth["microsoft.compute/virtualmachines"];
  ASSERT_GT(vms, 0);
  EXPECT_EQ(summary->by_type["microsoft.compute/virtualmachines"], vms);
  // A VM's NICs and disks, and the NICs' subnets, come along.
  EXPECT_GT(summary->by_type["microsoft.network/networkinterfaces"], 0);
  EXPECT_GT(summary->by_type["microsoft.compute/disks"], 0);
  EXPECT_GT(summary->by_type["microsoft.network/virtualnetworks/subnets"], 0);
  // But not the whole tenant.
  EXPECT_LT(summary->resources, static_cast<int64_t>(s.simulator->tenant().resources.size()));
  // Every edge of what was kept reaches a stored node (the graph stays whole).
  EXPECT_EQ(summary->dangling_edges_dropped, 0);
}

TEST(ScannerTest, ResourceGroupFilterAndLimit) {
  SimScan s;
  ASSERT_TRUE(s.Start(SmallTenant()).ok());
  const sim::Tenant& t = s.simulator->tenant();
  std::string rg(t.resource_groups[1].as_object().at("name").as_string());
  auto o = s.Options();
  o.resource_groups = {rg};
  o.directory = false;
  auto summary = s.Scan(o);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  int64_t in_rg = 0;
  for (const auto& r : t.resources) {
    auto id = graph::ParseArmId(r.as_object().at("id").as_string());
    ASSERT_TRUE(id.ok());
    if (EqualsIgnoreCase(id->resource_group, rg)) ++in_rg;
  }
  EXPECT_GE(summary->resources, in_rg);

  auto limited = s.Options();
  limited.resource_limit = 10;
  limited.directory = false;
  limited.diagnostic_settings = DiagnosticSettingsScope::kNone;
  auto l = s.Scan(limited);
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_LT(l->resources, static_cast<int64_t>(t.resources.size()));
  EXPECT_GE(l->resources, 10);
}

TEST(ScannerTest, NoAadSkipsTheDirectory) {
  SimScan s;
  ASSERT_TRUE(s.Start(SmallTenant(100, 1)).ok());
  auto o = s.Options();
  o.directory = false;
  auto summary = s.Scan(o);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->users, 0);
  EXPECT_EQ(summary->requests_graph, 0);
  EXPECT_EQ(summary->by_type, s.TruthByType());
}

TEST(ScannerTest, DiagnosticSettingsNoneSkipsThem) {
  SimScan s;
  ASSERT_TRUE(s.Start(SmallTenant(300, 1)).ok());
  auto o = s.Options();
  o.diagnostic_settings = DiagnosticSettingsScope::kNone;
  o.directory = false;
  auto summary = s.Scan(o);
  ASSERT_TRUE(summary.ok());
  auto truth = s.TruthByType();
  ASSERT_GT(truth["microsoft.insights/diagnosticsettings"], 0);
  EXPECT_EQ(summary->by_type.count("microsoft.insights/diagnosticsettings"), 0u);
}

TEST(ScannerTest, ExactUnderFaults) {
  SimScan s;
  auto o = SmallTenant(300, 2);
  o.fault_rate = 0.05;
  ASSERT_TRUE(s.Start(o).ok());
  auto summary = s.Scan(s.Options());
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_TRUE(summary->failed_scopes.empty());
  EXPECT_EQ(summary->by_type, s.TruthByType());
  EXPECT_EQ(s.StoredKeys(), s.TruthKeys());
}

TEST(ScannerTest, CancelledScanCommitsNothing) {
  SimScan s;
  auto o = SmallTenant(300, 1);
  o.latency_ms = 50;
  ASSERT_TRUE(s.Start(o).ok());
  std::stop_source stop;
  stop.request_stop();
  auto summary = s.Scan(s.Options(), stop.get_token());
  ASSERT_FALSE(summary.ok());
  auto has = s.store->HasGraph();
  ASSERT_TRUE(has.ok());
  EXPECT_FALSE(*has);
}

TEST(ScannerTest, BadCredentialsFailTheScan) {
  SimScan s;
  ASSERT_TRUE(s.Start(SmallTenant(50, 1)).ok());
  auto endpoints =
      azure::AzureEndpoints::FromUrls(s.simulator->base_url(), s.simulator->base_url(),
                                      s.simulator->base_url(), s.simulator->base_url());
  ScanClientConfig config;
  config.endpoints = *endpoints;
  config.tenant_id = s.simulator->credentials().tenant_id;
  config.client_id = s.simulator->credentials().client_id;
  config.client_secret = "wrong";
  auto client = MakeScanClient(config);
  ASSERT_TRUE(client.ok());
  Scanner scanner(**client, nullptr, s.Options());
  auto summary = scanner.Run({});
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.status().message().find("subscriptions"), std::string::npos)
      << summary.status().message();
}

}  // namespace
}  // namespace atg::scan
