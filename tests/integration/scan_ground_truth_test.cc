// Scans compared with the simulator's ground truth node by node and edge by edge
// (expected_graph.h derives the expected graph from the tenant and docs/graph.md, not from the
// scanner's rules): a generated tenant through Resource Graph and through the ARM fallback, and
// a tenant built at run time from the real Azure bodies of the shared fixtures.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/strings.h"
#include "expected_graph.h"
#include "fixture_tenant.h"
#include "scan/testing/sim_scan.h"
#include "sim/tenant.h"

namespace atg::scan {
namespace {

using scan::testing::BuildFixtureTenant;
using scan::testing::FixtureTenant;
using scan::testing::SimScan;

sim::SimulatorOptions Generated(uint64_t seed) {
  sim::SimulatorOptions o;
  o.generator.seed = seed;
  o.generator.resources = 600;
  o.generator.subscriptions = 2;
  o.generator.users = 120;
  o.generator.groups = 30;
  o.throttle = sim::ThrottleMode::kOff;
  return o;
}

void ScanAndCompare(SimScan& s, DiagnosticSettingsScope diagnostics) {
  auto o = s.Options();
  o.diagnostic_settings = diagnostics;
  auto summary = s.Scan(o);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  for (const auto& f : summary->failed_scopes) ADD_FAILURE() << f.scope << ": " << f.reason;
  atg::testing::ExpectedGraph expected = atg::testing::BuildExpectedGraph(s.simulator->tenant());
  atg::testing::ExpectStoreEquals(*s.store, expected, s.simulator->credentials().tenant_id);
  // The summary counts what the store holds.
  std::map<std::string, int64_t> by_edge_type;
  for (const auto& e : expected.edges) ++by_edge_type[std::get<1>(e)];
  std::map<std::string, int64_t> reported(summary->edges_by_type.begin(),
                                          summary->edges_by_type.end());
  EXPECT_EQ(reported, by_edge_type);
  std::string counts;
  for (const auto& [type, n] : by_edge_type) counts += " " + type + "=" + std::to_string(n);
  std::cerr << expected.nodes.size() << " nodes and " << expected.edges.size()
            << " edges compared:" << counts << "\n";
}

TEST(ScanGroundTruthTest, GeneratedTenantNodeByNodeAndEdgeByEdge) {
  SimScan s;
  ASSERT_TRUE(s.Start(Generated(21)).ok());
  ScanAndCompare(s, DiagnosticSettingsScope::kCommon);
}

TEST(ScanGroundTruthTest, GeneratedTenantThroughArmListsNodeByNodeAndEdgeByEdge) {
  SimScan s;
  auto o = Generated(22);
  o.generator.resources = 300;
  o.resource_graph_forbidden = true;
  ASSERT_TRUE(s.Start(o).ok());
  ScanAndCompare(s, DiagnosticSettingsScope::kCommon);
}

TEST(ScanGroundTruthTest, FixtureTenantNodeByNodeAndEdgeByEdge) {
  FixtureTenant ft = BuildFixtureTenant();
  auto tenant = sim::TenantFromJson(json::value(ft.doc));
  ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
  // Enough of Azure to mean something: the shapes the relationship rules look at.
  std::set<std::string> types;
  for (const auto& r : tenant->resources)
    types.insert(ToLower(r.as_object().at("type").as_string()));
  for (const char* t :
       {"microsoft.network/virtualnetworks", "microsoft.network/virtualnetworks/subnets",
        "microsoft.network/networkinterfaces", "microsoft.compute/virtualmachines",
        "microsoft.storage/storageaccounts", "microsoft.keyvault/vaults",
        "microsoft.network/networksecuritygroups", "microsoft.authorization/roleassignments",
        "microsoft.network/privateendpoints", "microsoft.sql/servers"}) {
    EXPECT_TRUE(types.count(t)) << t << " is missing from the fixture tenant";
  }
  EXPECT_GE(tenant->resources.size(), 60u);
  EXPECT_GE(tenant->users.size(), 2u);
  EXPECT_GE(tenant->groups.size(), 2u);
  std::string skipped;
  for (const auto& s : ft.skipped) skipped += "  " + s + "\n";
  RecordProperty("fixture_resources", static_cast<int>(tenant->resources.size()));

  SimScan s;
  sim::SimulatorOptions o;
  o.tenant = std::move(*tenant);
  o.throttle = sim::ThrottleMode::kOff;
  ASSERT_TRUE(s.Start(std::move(o)).ok());
  ScanAndCompare(s, DiagnosticSettingsScope::kAll);
  if (HasFailure()) std::cerr << "left out of the fixture tenant:\n" << skipped;
}

}  // namespace
}  // namespace atg::scan
