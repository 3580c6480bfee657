#include "common/arm_id.h"

#include <gtest/gtest.h>

#include <string>

namespace atg {
namespace {

constexpr const char* kRg =
    "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg1";
constexpr const char* kVnet =
    "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg1/providers/"
    "Microsoft.Network/virtualNetworks/vnet1";

TEST(ArmIdTest, ParsesEveryShape) {
  auto sub = ParseArmId("/subscriptions/11111111-2222-3333-4444-555555555555");
  ASSERT_TRUE(sub.ok());
  EXPECT_TRUE(sub->is_subscription());
  EXPECT_FALSE(sub->is_resource_group());

  auto rg = ParseArmId(kRg);
  ASSERT_TRUE(rg.ok());
  EXPECT_TRUE(rg->is_resource_group());
  EXPECT_EQ(rg->resource_group, "rg1");
  EXPECT_EQ(rg->parent_id, "/subscriptions/11111111-2222-3333-4444-555555555555");

  const std::string subnet_id = std::string(kVnet) + "/subnets/default";
  auto subnet = ParseArmId(subnet_id);
  ASSERT_TRUE(subnet.ok());
  EXPECT_EQ(subnet->type, "Microsoft.Network/virtualNetworks/subnets");
  EXPECT_EQ(subnet->name, "default");
  EXPECT_TRUE(subnet->is_child());
  EXPECT_EQ(subnet->parent(), kVnet);
  EXPECT_FALSE(subnet->is_extension());

  const std::string diag_id =
      std::string(kVnet) + "/providers/Microsoft.Insights/diagnosticSettings/d";
  auto diag = ParseArmId(diag_id);
  ASSERT_TRUE(diag.ok());
  EXPECT_EQ(diag->type, "Microsoft.Insights/diagnosticSettings");
  EXPECT_EQ(diag->extension_scope, kVnet);
  EXPECT_EQ(diag->parent_id, kVnet);
  EXPECT_TRUE(diag->is_extension());
  EXPECT_TRUE(diag->parent().empty());

  auto rd = ParseArmId(
      "/subscriptions/11111111-2222-3333-4444-555555555555/providers/"
      "Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f6fba9bd9f6d");
  ASSERT_TRUE(rd.ok());
  EXPECT_EQ(rd->type, "Microsoft.Authorization/roleDefinitions");
  EXPECT_TRUE(rd->resource_group.empty());
  EXPECT_FALSE(rd->is_extension());
  EXPECT_EQ(rd->parent_id, "/subscriptions/11111111-2222-3333-4444-555555555555");

  auto tenant_level = ParseArmId("/providers/Microsoft.Authorization/roleDefinitions/x");
  ASSERT_TRUE(tenant_level.ok());
  EXPECT_TRUE(tenant_level->subscription_id.empty());
  EXPECT_TRUE(tenant_level->parent_id.empty());

  // A resource may be named "providers".
  const std::string odd_id = std::string(kRg) + "/providers/Microsoft.Web/sites/providers";
  auto odd = ParseArmId(odd_id);
  ASSERT_TRUE(odd.ok()) << odd.status().ToString();
  EXPECT_EQ(odd->name, "providers");
  EXPECT_EQ(odd->type, "Microsoft.Web/sites");

  for (const char* bad :
       {"", "subscriptions/11111111-2222-3333-4444-555555555555",
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups",
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg//x",
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Ns",
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Ns/t",
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/things/x"}) {
    EXPECT_FALSE(ParseArmId(bad).ok()) << bad;
  }
}

// The view and the owning parse agree on every part, for every shape of id.
TEST(ArmIdTest, ViewAgreesWithTheOwningParse) {
  const std::string rg = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/RG";
  const std::string vnet = rg + "/providers/Microsoft.Network/virtualNetworks/v";
  for (const std::string& id :
       {std::string("/subscriptions/11111111-2222-3333-4444-555555555555"), rg, rg + "/", vnet,
        vnet + "/subnets/s", vnet + "/subnets/s/providers/Microsoft.Insights/diagnosticSettings/d",
        vnet + "/providers/Microsoft.Authorization/roleAssignments/r",
        std::string("/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/r"),
        std::string("/providers/Microsoft.Authorization/roleDefinitions/x"),
        rg + "/providers/Microsoft.Web/sites/providers"}) {
    auto owned = ParseArmId(id);
    auto view = ParseArmIdView(id);
    ASSERT_TRUE(owned.ok()) << id;
    ASSERT_TRUE(view.ok()) << id;
    EXPECT_EQ(view->subscription_id, owned->subscription_id) << id;
    EXPECT_EQ(view->resource_group, owned->resource_group) << id;
    EXPECT_EQ(view->name, owned->name) << id;
    EXPECT_EQ(view->parent_id, owned->parent_id) << id;
    EXPECT_EQ(view->extension_scope, owned->extension_scope) << id;
    EXPECT_EQ(view->is_child(), owned->is_child()) << id;
    EXPECT_EQ(view->is_extension(), owned->is_extension()) << id;
    EXPECT_EQ(view->is_subscription(), owned->is_subscription()) << id;
    EXPECT_EQ(view->is_resource_group(), owned->is_resource_group()) << id;
    // Views point into the id itself.
    EXPECT_TRUE(view->parent_id.empty() || view->parent_id.data() == id.data()) << id;
  }
  std::string deep = rg + "/providers/A.B/t";
  for (int i = 0; i < 40; ++i) deep += "/n/t";
  EXPECT_FALSE(ParseArmIdView(deep + "/n").ok());
  EXPECT_FALSE(ParseArmIdView("/subscriptions/s//x").ok());
}

TEST(ArmIdTest, SubscriptionOfPath) {
  EXPECT_EQ(SubscriptionOfPath("/subscriptions/AbC/resourcegroups?api-version=1"), "AbC");
  EXPECT_EQ(SubscriptionOfPath("/SUBSCRIPTIONS/s1"), "s1");
  EXPECT_EQ(SubscriptionOfPath("/arm/subscriptions/s2/providers"), "s2");
  EXPECT_EQ(SubscriptionOfPath("/subscriptions?api-version=1"), "");
  EXPECT_EQ(SubscriptionOfPath("/providers/Microsoft.ResourceGraph/resources"), "");
  EXPECT_EQ(SubscriptionOfPath(""), "");
}

TEST(ArmIdTest, NormalizesAndRecognisesGuids) {
  EXPECT_EQ(NormalizeArmId("/Subscriptions/ABC/resourceGroups/RG/"),
            "/subscriptions/abc/resourcegroups/rg");
  EXPECT_TRUE(IsGuid("11111111-2222-3333-4444-55555555AAAA"));
  EXPECT_FALSE(IsGuid("11111111-2222-3333-4444-55555555AAA"));
  EXPECT_FALSE(IsGuid("11111111-2222-3333-4444x555555555555"));
  EXPECT_FALSE(IsGuid("g1111111-2222-3333-4444-555555555555"));
}

}  // namespace
}  // namespace atg
