#include "iac/plan_address.h"

#include <gtest/gtest.h>

namespace atg::iac {
namespace {

constexpr const char* kRg = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg";

TEST(PlanAddressTest, ChildResourceNamesAndParent) {
  PlannedResource r;
  r.id = std::string(kRg) + "/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/default";
  DeriveAddress(&r);
  EXPECT_EQ(r.names, (std::vector<std::string>{"vnet1", "default"}));
  EXPECT_EQ(r.parent_id, std::string(kRg) + "/providers/Microsoft.Network/virtualNetworks/vnet1");
  EXPECT_TRUE(r.literal_scope.empty());
}

TEST(PlanAddressTest, ResourceGroupIsNamedByItsName) {
  PlannedResource r;
  r.id = kRg;
  r.name = "rg";
  r.is_resource_group = true;
  DeriveAddress(&r);
  EXPECT_EQ(r.names, (std::vector<std::string>{"rg"}));
  EXPECT_EQ(r.parent_id, "/subscriptions/00000000-0000-0000-0000-0000000000aa");
}

TEST(PlanAddressTest, ExtensionOfAnUnplannedResourceKeepsItsScopeLiteral) {
  const std::string vm = std::string(kRg) + "/providers/Microsoft.Compute/virtualMachines/vm1";
  PlannedResource r;
  r.id = vm + "/providers/Microsoft.Insights/diagnosticSettings/diag";
  DeriveAddress(&r);
  EXPECT_EQ(r.names, (std::vector<std::string>{"diag"}));
  EXPECT_EQ(r.parent_id, vm);
  EXPECT_EQ(r.literal_scope, vm);
  r.scope = 0;  // the plan emits the VM: addressed by symbol
  DeriveAddress(&r);
  EXPECT_TRUE(r.literal_scope.empty());
}

TEST(PlanAddressTest, ExtensionsOfGroupsAndSubscriptionsNeedNoLiteralScope) {
  PlannedResource r;
  r.id = std::string(kRg) + "/providers/Microsoft.Authorization/roleAssignments/ra1";
  DeriveAddress(&r);
  EXPECT_TRUE(r.literal_scope.empty());
  EXPECT_EQ(r.parent_id, kRg);
  r.id =
      "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/"
      "Microsoft.Authorization/roleAssignments/ra2";
  DeriveAddress(&r);
  EXPECT_TRUE(r.literal_scope.empty());
  EXPECT_EQ(r.parent_id, "/subscriptions/00000000-0000-0000-0000-0000000000aa");
}

TEST(PlanAddressTest, TenantLevelResourceHasNoParentId) {
  PlannedResource r;
  r.id = "/providers/Microsoft.Authorization/roleDefinitions/rd1";
  DeriveAddress(&r);
  EXPECT_EQ(r.names, (std::vector<std::string>{"rd1"}));
  EXPECT_EQ(r.parent_id, "");
}

TEST(PlanAddressTest, AnUnparsableIdFallsBackToTheArmNameAndGroup) {
  PlannedResource r;
  r.id = "not an id";
  r.name = "b";
  r.arm_name = "a/b";
  r.subscription_id = "s";
  r.resource_group = "rg";
  DeriveAddress(&r);
  EXPECT_EQ(r.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.parent_id, "/subscriptions/s/resourceGroups/rg");
}

}  // namespace
}  // namespace atg::iac
