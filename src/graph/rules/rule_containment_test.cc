#include <gtest/gtest.h>

#include <deque>

#include "common/strings.h"
#include "graph/rules/rules.h"
#include "graph/testing/fixtures.h"

namespace atg::graph {
namespace {

using testing::CountEdges;
using testing::HasEdge;
using testing::LoadBody;

// Keeps each body alive for the test binary's lifetime: an ArmBody points into its body.
ArmBody Prepare(json::object body) {
  static std::deque<json::object> alive;
  alive.push_back(std::move(body));
  auto r = ArmBody::From(alive.back());
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r.value()) : ArmBody{};
}

constexpr char kRec[] = "sdk-recordings/azure-libraries-for-net/";

TEST(ContainmentRuleTest, ResourceGroupContainsTopLevelResource) {
  json::object body = LoadBody(std::string(kRec) + "Microsoft_Compute_virtualMachines__get.json");
  ArmBody r = Prepare(body);
  GraphFragment f;
  ContainmentRule(r, RuleContext{"t1", {}}, &f);
  ASSERT_EQ(f.edges.size(), 1u);
  EXPECT_TRUE(HasEdge(f,
                      "/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380/resourcegroups/rg3248",
                      r.key, "CONTAINS"));
}

TEST(ContainmentRuleTest, ParentResourceContainsChild) {
  json::object body = LoadBody(
      std::string(kRec) + "Microsoft_Network_virtualNetworks_virtualNetworkPeerings__get.json");
  ArmBody r = Prepare(body);
  GraphFragment f;
  ContainmentRule(r, RuleContext{"t1", {}}, &f);
  EXPECT_TRUE(HasEdge(f,
                      "/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380/resourcegroups/"
                      "rg2ab68748cb/providers/microsoft.network/virtualnetworks/net5dc95088eb",
                      r.key, "CONTAINS"));
}

TEST(ContainmentRuleTest, ExtendedResourceContainsExtension) {
  ArmBody r =
      Prepare(LoadBody(std::string(kRec) + "microsoft_insights_diagnosticSettings__get.json"));
  GraphFragment f;
  ContainmentRule(r, RuleContext{"t1", {}}, &f);
  EXPECT_TRUE(HasEdge(f,
                      "/subscriptions/1c638cf4-608f-4ee6-b680-c329e824c3a8/resourcegroups/"
                      "rg234085226f/providers/microsoft.compute/virtualmachines/vma6e2878463",
                      r.key, "CONTAINS"));
}

TEST(ContainmentRuleTest, TenantContainsSubscriptionAndSubscriptionContainsGroup) {
  json::object sub = LoadBody(std::string(kRec) + "Microsoft_Resources_subscriptions__get.json");
  GraphFragment f;
  ContainmentRule(Prepare(sub), RuleContext{"T1", {}}, &f);
  EXPECT_TRUE(
      HasEdge(f, "/tenants/t1", "/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380", "CONTAINS"));
  json::object rg = LoadBody(std::string(kRec) + "Microsoft_Resources_resourcegroups__get.json");
  ArmBody r = Prepare(rg);
  GraphFragment g;
  ContainmentRule(r, RuleContext{"t1", {}}, &g);
  ASSERT_EQ(g.edges.size(), 1u);
  EXPECT_EQ(g.edges[0].from, "/subscriptions/" + ToLower(r.id.subscription_id));
}

TEST(ContainmentRuleTest, SubscriptionContainsSubscriptionLevelRoleAssignment) {
  ArmBody r = Prepare(LoadBody(
      "rest-api-specs-examples/authorization/2020-10-01-preview/RoleAssignments_Get.json"));
  GraphFragment f;
  ContainmentRule(r, RuleContext{"t1", {}}, &f);
  EXPECT_TRUE(HasEdge(f, "/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2", r.key, "CONTAINS"));
}

}  // namespace
}  // namespace atg::graph
