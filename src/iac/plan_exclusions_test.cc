#include "iac/plan_exclusions.h"

#include <gtest/gtest.h>

#include "iac/plan_graph_testing.h"

namespace atg::iac {
namespace {

using testing::AddNode;
using testing::GroupId;
using testing::kGraphSub;

TEST(PlanExclusionsTest, WhatIsNeverDeployedAndWhy) {
  PlanGraph g;
  const size_t sub =
      AddNode(&g, graph::label::kSubscription, std::string("/subscriptions/") + kGraphSub);
  const size_t rg = AddNode(&g, graph::label::kResourceGroup, GroupId("app"));
  const size_t managed = AddNode(&g, graph::label::kResourceGroup, GroupId("mc_aks"),
                                 R"({"managedBy":"/subscriptions/x/aks1"})");
  const size_t in_managed =
      AddNode(&g, graph::label::kResource,
              GroupId("mc_aks") + "/providers/Microsoft.Network/loadBalancers/kubernetes");
  const std::string disk = GroupId("app") + "/providers/Microsoft.Compute/disks/vm1_os";
  const size_t os_disk = AddNode(&g, graph::label::kResource, disk);
  const size_t data_disk = AddNode(&g, graph::label::kResource,
                                   GroupId("app") + "/providers/Microsoft.Compute/disks/data");
  const size_t vm = AddNode(
      &g, graph::label::kResource,
      GroupId("app") + "/providers/Microsoft.Compute/virtualMachines/vm1",
      R"({"properties":{"storageProfile":{"osDisk":{"createOption":"FromImage","managedDisk":{"id":")" +
          disk + R"("}}}}})");
  const size_t builtin = AddNode(
      &g, graph::label::kRoleDefinition,
      std::string("/subscriptions/") + kGraphSub +
          "/providers/Microsoft.Authorization/roleDefinitions/11111111-1111-1111-1111-111111111111",
      R"({"properties":{"type":"BuiltInRole"}})");
  const size_t custom = AddNode(
      &g, graph::label::kRoleDefinition,
      std::string("/subscriptions/") + kGraphSub +
          "/providers/Microsoft.Authorization/roleDefinitions/22222222-2222-2222-2222-222222222222",
      R"({"properties":{"roleType":"CustomRole"}})");
  const size_t tenant_level = AddNode(
      &g, graph::label::kRoleDefinition,
      "/providers/Microsoft.Authorization/roleDefinitions/33333333-3333-3333-3333-333333333333");
  g.LinkChildren();

  const std::vector<std::string> never = NeverDeployed(g);
  ASSERT_EQ(never.size(), g.arm.size());
  EXPECT_NE(never[sub].find("subscription: not created by IaC"), std::string::npos);
  EXPECT_EQ(never[rg], "");
  EXPECT_EQ(never[managed],
            "in a managed resource group: created and owned by /subscriptions/x/aks1")
      << "the owner creates the group too";
  EXPECT_EQ(never[in_managed],
            "in a managed resource group: created and owned by /subscriptions/x/aks1");
  EXPECT_EQ(never[os_disk], "OS disk of virtual machine vm1: created with the virtual machine");
  EXPECT_EQ(never[data_disk], "");
  EXPECT_EQ(never[vm], "");
  EXPECT_EQ(never[builtin], "built-in role definition: exists in every tenant");
  EXPECT_EQ(never[custom], "");
  EXPECT_EQ(never[tenant_level], "built-in role definition: exists in every tenant");
}

}  // namespace
}  // namespace atg::iac
