#include "graph/model.h"

#include <gtest/gtest.h>

#include "common/strings.h"
#include "graph/testing/fixtures.h"

namespace atg::graph {
namespace {

TEST(ModelTest, KeyRules) {
  EXPECT_EQ(UserKey("AbC"), "/users/abc");
  EXPECT_EQ(GroupKey("x"), "/groups/x");
  EXPECT_EQ(ServicePrincipalKey("X"), "/servicePrincipals/x");
  EXPECT_EQ(TagKey("Env", "Prod"), "/tags/env=prod");
  EXPECT_EQ(RegionKey("South Central US"), "/regions/southcentralus");
  EXPECT_TRUE(IsDirectoryObjectPlaceholder(DirectoryObjectKey("x")));
}

TEST(ModelTest, NodeFromRealVirtualMachineKeepsFullBody) {
  auto body = testing::LoadBody(
      "sdk-recordings/azure-libraries-for-net/Microsoft_Compute_virtualMachines__get.json");
  auto node = NodeFromArmResource(body);
  ASSERT_TRUE(node.ok()) << node.status().ToString();
  EXPECT_EQ(node->label, "Resource");
  EXPECT_EQ(node->type, "microsoft.compute/virtualmachines");
  EXPECT_EQ(node->name, "vm1300");
  EXPECT_EQ(node->subscription_id, "ec0aa5f7-9e78-40c9-85cd-535c6305b380");
  EXPECT_EQ(node->resource_group, "rg3248");
  EXPECT_EQ(node->location, "eastus");
  EXPECT_EQ(node->key, ToLower(node->original_id));
  EXPECT_EQ(node->original_id, *FindString(&body, "id"));
  auto props = node->Properties();
  ASSERT_TRUE(props.ok());
  EXPECT_EQ(*props, json::value(body));
}

TEST(ModelTest, LabelsOfSpecialTypes) {
  auto msi = NodeFromArmResource(
      testing::LoadBody("sdk-recordings/azure-libraries-for-net/"
                        "Microsoft_ManagedIdentity_userAssignedIdentities__get.json"));
  ASSERT_TRUE(msi.ok());
  EXPECT_EQ(msi->label, "ManagedIdentity");
  auto ra = NodeFromArmResource(testing::LoadBody(
      "rest-api-specs-examples/authorization/2020-10-01-preview/RoleAssignments_Get.json"));
  ASSERT_TRUE(ra.ok());
  EXPECT_EQ(ra->label, "RoleAssignment");
  auto rd = NodeFromArmResource(testing::LoadBody(
      "rest-api-specs-examples/authorization/2018-01-01-preview/GetRoleDefinitionById.json"));
  ASSERT_TRUE(rd.ok()) << rd.status().ToString();
  EXPECT_EQ(rd->label, "RoleDefinition");
  auto sub = NodeFromArmResource(testing::LoadBody(
      "sdk-recordings/azure-libraries-for-net/Microsoft_Resources_subscriptions__get.json"));
  ASSERT_TRUE(sub.ok()) << sub.status().ToString();
  EXPECT_EQ(sub->label, "Subscription");
  EXPECT_EQ(sub->type, "microsoft.resources/subscriptions");
  auto rg = NodeFromArmResource(testing::LoadBody(
      "sdk-recordings/azure-libraries-for-net/Microsoft_Resources_resourcegroups__get.json"));
  ASSERT_TRUE(rg.ok());
  EXPECT_EQ(rg->label, "ResourceGroup");
}

TEST(ModelTest, DiagnosticSettingWithNullTypeTakesTypeFromId) {
  auto n = NodeFromArmResource(testing::LoadBody(
      "sdk-recordings/azure-libraries-for-net/microsoft_insights_diagnosticSettings__get.json"));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->type, "microsoft.insights/diagnosticsettings");
}

TEST(ModelTest, DirectoryNodes) {
  auto group = NodeFromDirectoryObject(
      DirectoryKind::kGroup, testing::LoadBody("msgraph-docs/v1.0/group-get__example1.json"));
  ASSERT_TRUE(group.ok());
  EXPECT_EQ(group->key, "/groups/b320ee12-b1cd-4cca-b648-a437be61c5cd");
  EXPECT_EQ(group->name, "Library Assist");
  EXPECT_FALSE(NodeFromDirectoryObject(DirectoryKind::kUser, json::object()).ok());
}

TEST(ModelTest, RejectsBodiesWithoutId) {
  EXPECT_FALSE(NodeFromArmResource(json::object()).ok());
  json::object o;
  o["id"] = "not-an-id";
  EXPECT_FALSE(NodeFromArmResource(o).ok());
}

}  // namespace
}  // namespace atg::graph
