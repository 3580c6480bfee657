#include "iac/plan_selection.h"

#include <gtest/gtest.h>

#include "iac/plan_graph_testing.h"

namespace atg::iac {
namespace {

using testing::AddNode;
using testing::GroupId;

struct Tenant {
  PlanGraph g;
  size_t rg_net, rg_app, vnet, subnet, nic, vm, other_vm, workspace;
};

// rg-net: vnet/subnet; rg-app: a NIC in the subnet, a VM using the NIC, another VM; a
// workspace the first VM logs to (an edge, not a body reference).
Tenant MakeTenant() {
  Tenant t;
  PlanGraph& g = t.g;
  const std::string vnet = GroupId("net") + "/providers/Microsoft.Network/virtualNetworks/vnet";
  const std::string nic = GroupId("app") + "/providers/Microsoft.Network/networkInterfaces/nic";
  t.rg_net = AddNode(&g, graph::label::kResourceGroup, GroupId("net"));
  t.rg_app = AddNode(&g, graph::label::kResourceGroup, GroupId("app"));
  t.vnet = AddNode(&g, graph::label::kResource, vnet);
  t.subnet = AddNode(&g, graph::label::kResource, vnet + "/subnets/default");
  t.nic =
      AddNode(&g, graph::label::kResource, nic,
              R"({"properties":{"ipConfigurations":[{"name":"ip","properties":{"subnet":{"id":")" +
                  vnet + R"(/subnets/default"}}}]}})");
  t.vm = AddNode(
      &g, graph::label::kResource,
      GroupId("app") + "/providers/Microsoft.Compute/virtualMachines/vm1",
      R"({"properties":{"networkProfile":{"networkInterfaces":[{"id":")" + nic + R"("}]}}})");
  t.other_vm = AddNode(&g, graph::label::kResource,
                       GroupId("app") + "/providers/Microsoft.Compute/virtualMachines/vm2");
  t.workspace =
      AddNode(&g, graph::label::kResource,
              GroupId("ops") + "/providers/Microsoft.OperationalInsights/workspaces/logs");
  g.LinkChildren();
  g.follows[t.vm].push_back(t.workspace);
  return t;
}

TEST(PlanSelectionTest, WithoutFiltersEverythingDeployableIsKept) {
  Tenant t = MakeTenant();
  std::vector<std::string> never(t.g.arm.size());
  never[t.other_vm] = "excluded";
  BodyStage bodies(t.g);
  auto kept = SelectResources(t.g, {}, never, bodies);
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  for (size_t i = 0; i < t.g.arm.size(); ++i) {
    EXPECT_EQ((*kept)[i] != 0, i != t.other_vm) << t.g.arm[i].node.key;
    EXPECT_EQ(t.g.arm[i].prepared, i != t.other_vm) << "kept bodies are prepared";
  }
}

TEST(PlanSelectionTest, AFilterPullsInWhatTheKeptResourcesNeed) {
  Tenant t = MakeTenant();
  std::vector<std::string> never(t.g.arm.size());
  SelectionFilters f;
  f.types = {"microsoft.compute/virtualmachines"};
  f.resource_groups = {"app"};
  BodyStage bodies(t.g);
  auto kept = SelectResources(t.g, f, never, bodies);
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  const std::vector<char>& k = *kept;
  EXPECT_TRUE(k[t.vm] && k[t.other_vm]) << "the filter's matches";
  EXPECT_TRUE(k[t.nic]) << "referenced by the VM's body";
  EXPECT_TRUE(k[t.subnet]) << "referenced by the NIC's body";
  EXPECT_TRUE(k[t.vnet]) << "the subnet's parent";
  EXPECT_TRUE(k[t.rg_app] && k[t.rg_net]) << "the groups of kept resources";
  EXPECT_TRUE(k[t.workspace]) << "an edge of a kept resource";
}

TEST(PlanSelectionTest, AGroupPulledInAsAContainerBringsNothingElse) {
  Tenant t = MakeTenant();
  std::vector<std::string> never(t.g.arm.size());
  never[t.nic] = "excluded";
  SelectionFilters f;
  f.types = {"microsoft.network/virtualnetworks/subnets"};
  BodyStage bodies(t.g);
  auto kept = SelectResources(t.g, f, never, bodies);
  ASSERT_TRUE(kept.ok());
  const std::vector<char>& k = *kept;
  EXPECT_TRUE(k[t.subnet] && k[t.vnet] && k[t.rg_net]);
  EXPECT_FALSE(k[t.vm] || k[t.other_vm] || k[t.rg_app] || k[t.workspace]);
  EXPECT_FALSE(k[t.nic]) << "never deployed";
}

TEST(PlanSelectionTest, AKeptResourceBringsItsChildren) {
  Tenant t = MakeTenant();
  std::vector<std::string> never(t.g.arm.size());
  SelectionFilters f;
  f.types = {"microsoft.network/virtualnetworks"};
  BodyStage bodies(t.g);
  auto kept = SelectResources(t.g, f, never, bodies);
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE((*kept)[t.subnet]);
  EXPECT_FALSE((*kept)[t.nic]) << "what references a kept resource is not pulled in";
}

TEST(PlanSelectionTest, ABodyThatDoesNotParseFailsTheSelection) {
  PlanGraph g;
  AddNode(&g, graph::label::kResource,
          GroupId("app") + "/providers/Microsoft.Storage/storageAccounts/st", "{not json");
  g.LinkChildren();
  std::vector<std::string> never(g.arm.size());
  BodyStage bodies(g);
  EXPECT_FALSE(SelectResources(g, {}, never, bodies).ok());
}

}  // namespace
}  // namespace atg::iac
