#include "graph/arm_id.h"

#include <gtest/gtest.h>

#include "graph/testing/fixtures.h"

namespace atg::graph {
namespace {

TEST(ArmIdTest, ParsesTopLevelResource) {
  auto id = ParseArmId(
      "/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380/resourceGroups/rg3248/providers/"
      "Microsoft.Compute/virtualMachines/vm1300");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->subscription_id, "ec0aa5f7-9e78-40c9-85cd-535c6305b380");
  EXPECT_EQ(id->resource_group, "rg3248");
  EXPECT_EQ(id->type, "Microsoft.Compute/virtualMachines");
  EXPECT_EQ(id->name, "vm1300");
  EXPECT_EQ(id->parent_id,
            "/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380/resourceGroups/rg3248");
  EXPECT_TRUE(id->extension_scope.empty());
}

TEST(ArmIdTest, ParsesChildResource) {
  auto id = ParseArmId(
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/"
      "front");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->type, "Microsoft.Network/virtualNetworks/subnets");
  EXPECT_EQ(id->names, (std::vector<std::string>{"v", "front"}));
  EXPECT_EQ(id->parent_id,
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v");
}

TEST(ArmIdTest, ParsesExtensionResourceOfARealDiagnosticSetting) {
  auto body = testing::LoadBody(
      "sdk-recordings/azure-libraries-for-net/microsoft_insights_diagnosticSettings__get.json");
  auto id = ParseArmId(*FindString(&body, "id"));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->type, "microsoft.insights/diagnosticSettings");
  EXPECT_EQ(id->name, "jmonitords_01048f");
  EXPECT_EQ(id->resource_group, "rg234085226f");
  EXPECT_EQ(id->extension_scope,
            "/subscriptions/1c638cf4-608f-4ee6-b680-c329e824c3a8/resourcegroups/rg234085226f/"
            "providers/microsoft.compute/virtualmachines/vma6e2878463");
  EXPECT_EQ(id->parent_id, id->extension_scope);
}

TEST(ArmIdTest, ParsesSubscriptionGroupAndTenantLevelIds) {
  auto sub = ParseArmId("/subscriptions/abc");
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(sub->type, "Microsoft.Resources/subscriptions");
  EXPECT_EQ(sub->parent_id, "");
  auto rg = ParseArmId("/subscriptions/abc/resourcegroups/RG1/");
  ASSERT_TRUE(rg.ok());
  EXPECT_EQ(rg->type, "Microsoft.Resources/resourceGroups");
  EXPECT_EQ(rg->name, "RG1");
  EXPECT_EQ(rg->parent_id, "/subscriptions/abc");
  auto role = ParseArmId(
      "/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d");
  ASSERT_TRUE(role.ok());
  EXPECT_EQ(role->subscription_id, "");
  EXPECT_EQ(role->type, "Microsoft.Authorization/roleDefinitions");
  EXPECT_EQ(role->parent_id, "");
  auto sub_ra = ParseArmId("/subscriptions/a/providers/Microsoft.Authorization/roleAssignments/b");
  ASSERT_TRUE(sub_ra.ok());
  EXPECT_EQ(sub_ra->parent_id, "/subscriptions/a");
  EXPECT_TRUE(sub_ra->extension_scope.empty());
}

TEST(ArmIdTest, RejectsNonIds) {
  for (const char* bad : {"", "/", "subscriptions/x", "/subscriptions//resourceGroups/x",
                          "/subscriptions/x/resourceGroups/rg/provders/Microsoft.Network/n/x",
                          "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/n",
                          "/foo/bar", "https://management.azure.com/subscriptions/x"}) {
    EXPECT_FALSE(ParseArmId(bad).ok()) << bad;
    EXPECT_FALSE(LooksLikeArmId(bad)) << bad;
  }
  EXPECT_FALSE(LooksLikeArmId("/subscriptions/x/resourceGroups/rg with space"));
  EXPECT_TRUE(LooksLikeArmId("/subscriptions/x/resourceGroups/rg"));
}

TEST(ArmIdTest, NormalizesCase) {
  EXPECT_EQ(NormalizeArmId("/Subscriptions/ABC/resourceGroups/Rg/"),
            "/subscriptions/abc/resourcegroups/rg");
}

TEST(ArmIdTest, CollectsIdsFromValuesAndKeysOfARealBody) {
  auto body = testing::LoadBody(
      "sdk-recordings/azure-libraries-for-net/"
      "Microsoft_ContainerInstance_containerGroups__get.json");
  std::vector<std::string> ids;
  CollectArmIds(json::value(body), &ids);
  // The two user-assigned identities are object keys.
  EXPECT_NE(std::find(ids.begin(), ids.end(),
                      "/subscriptions/1c638cf4-608f-4ee6-b680-c329e824c3a8/resourcegroups/"
                      "rgaci8495/providers/microsoft.managedidentity/userassignedidentities/"
                      "msi-id2731"),
            ids.end());
  for (const auto& id : ids) EXPECT_EQ(id, NormalizeArmId(id));
}

TEST(ArmIdTest, AncestorsNearestFirst) {
  auto a = ArmIdAncestors(
      "/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v/subnets/f");
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0],
            "/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v");
  EXPECT_EQ(a[1], "/subscriptions/s/resourcegroups/rg");
  EXPECT_EQ(a[2], "/subscriptions/s");
}

}  // namespace
}  // namespace atg::graph
