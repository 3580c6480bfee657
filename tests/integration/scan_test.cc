// Scans of generated tenants under Azure's realistic limits, compared with the simulator's
// ground truth node by node; and the `atg scan` / `atg demo` binaries end to end.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <string>

#include "common/json.h"
#include "common/strings.h"
#include "common/temp_dir.h"
#include "scan/testing/sim_scan.h"
#include "sim/generator.h"

namespace atg::scan {
namespace {

using testing::SimScan;

sim::SimulatorOptions Tenant(int resources, int subscriptions, int users, int groups) {
  sim::SimulatorOptions o;
  o.generator.seed = 11;
  o.generator.resources = resources;
  o.generator.subscriptions = subscriptions;
  o.generator.users = users;
  o.generator.groups = groups;
  o.throttle = sim::ThrottleMode::kRealistic;
  o.latency_ms = 2;
  return o;
}

void ExpectExact(SimScan& s, const ScanSummary& summary) {
  const sim::Tenant& t = s.simulator->tenant();
  EXPECT_TRUE(summary.failed_scopes.empty())
      << summary.failed_scopes.front().scope << ": " << summary.failed_scopes.front().reason;
  EXPECT_EQ(summary.by_type, s.TruthByType());
  EXPECT_EQ(summary.resources, static_cast<int64_t>(t.resources.size()));
  EXPECT_EQ(summary.users, static_cast<int64_t>(t.users.size()));
  EXPECT_EQ(summary.groups, static_cast<int64_t>(t.groups.size()));
  EXPECT_EQ(summary.service_principals, static_cast<int64_t>(t.service_principals.size()));
  EXPECT_EQ(s.StoredKeys(), s.TruthKeys());
  int64_t members = 0;
  for (const auto& g : t.groups) members += g.as_object().at("members").as_array().size();
  EXPECT_EQ(summary.edges_by_type.at("MEMBER_OF"), members);
}

TEST(ScanIntegrationTest, GeneratedTenantIsExactUnderRealisticLimits) {
  SimScan s;
  ASSERT_TRUE(s.Start(Tenant(3000, 3, 600, 60)).ok());
  auto summary = s.Scan(s.Options());
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  ExpectExact(s, *summary);
  EXPECT_TRUE(summary->resource_graph);
  EXPECT_GT(summary->floor_seconds, 0);
}

TEST(ScanIntegrationTest, ExactWithFivePercentFaults) {
  SimScan s;
  auto o = Tenant(1500, 2, 300, 40);
  o.fault_rate = 0.05;
  ASSERT_TRUE(s.Start(o).ok());
  auto summary = s.Scan(s.Options());
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  ExpectExact(s, *summary);
}

TEST(ScanIntegrationTest, ArmFallbackIsExact) {
  SimScan s;
  auto o = Tenant(1500, 2, 100, 10);
  o.resource_graph_forbidden = true;
  ASSERT_TRUE(s.Start(o).ok());
  auto summary = s.Scan(s.Options());
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_FALSE(summary->resource_graph);
  ExpectExact(s, *summary);
}

TEST(ScanIntegrationTest, RescanReplacesAndFiltersPullInReferences) {
  SimScan s;
  ASSERT_TRUE(s.Start(Tenant(800, 1, 50, 5)).ok());
  auto o = s.Options();
  o.types = {"microsoft.network/networkinterfaces"};
  auto filtered = s.Scan(o);
  ASSERT_TRUE(filtered.ok()) << filtered.status().message();
  auto truth = s.TruthByType();
  EXPECT_EQ(filtered->by_type["microsoft.network/networkinterfaces"],
            truth["microsoft.network/networkinterfaces"]);
  // The NICs' subnets (and so their VNets) came along.
  EXPECT_GT(filtered->by_type["microsoft.network/virtualnetworks"], 0);
  EXPECT_EQ(filtered->dangling_edges_dropped, 0);
  // A full scan afterwards is exact.
  auto full = s.Scan(s.Options());
  ASSERT_TRUE(full.ok());
  ExpectExact(s, *full);
}

// ---- the binaries ----

struct AtgRun {
  int exit_code = -1;
  std::string out;
};

AtgRun RunAtg(const std::string& args) {
  std::string cmd = "'" ATG_BINARY "' " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  AtgRun r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(ScanIntegrationTest, DemoMatchesGroundTruth) {
  TempDir dir;
  setenv("ATG_DATA_DIR", dir.path().c_str(), 1);
  const std::string iac = dir.path() + "/iac";
  AtgRun r = RunAtg("demo --resources 400 --users 80 --groups 10 --json --output '" + iac + "'");
  unsetenv("ATG_DATA_DIR");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto doc = ParseJson(r.out);
  ASSERT_TRUE(doc.ok()) << r.out;
  EXPECT_EQ(doc->as_object().at("resources").as_int64(), 400);
  EXPECT_EQ(doc->as_object().at("users").as_int64(), 80);
  // The demo also writes the three IaC formats, each with its report.
  for (const char* f : {"terraform/providers.tf", "terraform/README.md", "bicep/main.bicep",
                        "bicep/README.md", "arm/azuredeploy.json", "arm/README.md"}) {
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(iac) / f)) << f;
  }
}

TEST(ScanIntegrationTest, ScanCommandReportsAForbiddenSubscriptionWithExitCode3) {
  SimScan s;
  auto o = Tenant(300, 2, 30, 5);
  auto t = sim::GenerateTenant(o.generator);
  ASSERT_TRUE(t.ok());
  std::string forbidden(t->subscriptions[0].as_object().at("subscriptionId").as_string());
  o.forbidden_subscriptions = {forbidden};
  ASSERT_TRUE(s.Start(o).ok());
  // The child inherits these; the secret never appears on a command line.
  setenv("ATG_DATA_DIR", s.dir.path().c_str(), 1);
  setenv("ATG_ARM_ENDPOINT", s.simulator->base_url().c_str(), 1);
  setenv("ATG_GRAPH_ENDPOINT", s.simulator->base_url().c_str(), 1);
  setenv("AZURE_AUTHORITY_HOST", s.simulator->base_url().c_str(), 1);
  setenv("AZURE_TENANT_ID", s.simulator->credentials().tenant_id.c_str(), 1);
  setenv("AZURE_CLIENT_ID", s.simulator->credentials().client_id.c_str(), 1);
  setenv("AZURE_CLIENT_SECRET", s.simulator->credentials().client_secret.c_str(), 1);
  AtgRun r = RunAtg("scan --json");
  AtgRun usage = RunAtg("scan --diagnostic-settings sometimes");
  for (const char* v :
       {"ATG_DATA_DIR", "ATG_ARM_ENDPOINT", "ATG_GRAPH_ENDPOINT", "AZURE_AUTHORITY_HOST",
        "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"}) {
    unsetenv(v);
  }
  EXPECT_EQ(usage.exit_code, 2);
  ASSERT_EQ(r.exit_code, 3) << r.out;
  auto doc = ParseJson(r.out);
  ASSERT_TRUE(doc.ok()) << r.out;
  const auto& failed = doc->as_object().at("failed_scopes").as_array();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].as_object().at("scope").as_string(), "/subscriptions/" + forbidden);
  EXPECT_NE(std::string(failed[0].as_object().at("reason").as_string()).find("403"),
            std::string::npos);
  // Everything else is there.
  int64_t outside = 0;
  for (const auto& r2 : s.simulator->tenant().resources) {
    if (!StartsWithIgnoreCase(r2.as_object().at("id").as_string(),
                              "/subscriptions/" + forbidden + "/")) {
      ++outside;
    }
  }
  EXPECT_EQ(doc->as_object().at("resources").as_int64(), outside);
}

}  // namespace
}  // namespace atg::scan
