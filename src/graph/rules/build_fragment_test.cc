#include <gtest/gtest.h>

#include "common/strings.h"
#include "graph/rules/rules.h"
#include "graph/testing/fixtures.h"

namespace atg::graph {
namespace {

using testing::CountEdges;
using testing::HasEdge;
using testing::LoadBody;

constexpr char kRec[] = "sdk-recordings/azure-libraries-for-net/";

TEST(BuildArmFragmentTest, RealVirtualMachineGetsEveryApplicableEdge) {
  json::object body = LoadBody(std::string(kRec) + "Microsoft_Compute_virtualMachines__get.json");
  auto f = BuildArmFragment(body, RuleContext{"t", {}});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->nodes[0].type, "microsoft.compute/virtualmachines");
  EXPECT_EQ(CountEdges(*f, "CONTAINS"), 1u);
  EXPECT_EQ(CountEdges(*f, "USES"), 2u);
  EXPECT_EQ(CountEdges(*f, "LOCATED_IN"), 1u);
  EXPECT_GE(CountEdges(*f, "REFERENCES"), 3u);  // NIC, disk, key vault
  for (const auto& e : f->edges) EXPECT_NE(e.from, e.to);
}

TEST(BuildArmFragmentTest, EveryArmFixtureBuilds) {
  // Every single-resource recording yields a node keyed by its lower-cased id.
  for (const char* name :
       {"Microsoft_Network_loadBalancers__get.json", "Microsoft_Sql_servers_databases__get.json",
        "Microsoft_KeyVault_vaults__get.json", "Microsoft_Web_sites__get.json",
        "Microsoft_Network_applicationGateways__get.json"}) {
    json::object body = LoadBody(std::string(kRec) + name);
    auto f = BuildArmFragment(body, RuleContext{"t", {}});
    ASSERT_TRUE(f.ok()) << name << ": " << f.status().ToString();
    EXPECT_EQ(f->nodes[0].key, ToLower(*FindString(&body, "id")));
  }
}

}  // namespace
}  // namespace atg::graph
