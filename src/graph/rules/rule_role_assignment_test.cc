#include <gtest/gtest.h>

#include <deque>

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

TEST(RoleAssignmentRuleTest, UserPrincipalAndTenantLevelDefinition) {
  ArmBody r = Prepare(LoadBody(
      "rest-api-specs-examples/authorization/2020-10-01-preview/RoleAssignments_Get.json"));
  GraphFragment f;
  RoleAssignmentRule(r, RuleContext{"t", {}}, &f);
  EXPECT_TRUE(HasEdge(f, r.key, "/users/ce2ce14e-85d7-4629-bdbc-454d0519d987", "ASSIGNED_TO"));
  EXPECT_TRUE(HasEdge(f, r.key,
                      "/providers/microsoft.authorization/roledefinitions/"
                      "0b5fe924-9a61-425c-96af-cfe6e287ca2d",
                      "HAS_ROLE"));
  EXPECT_EQ(f.edges.size(), 2u);
}

TEST(RoleAssignmentRuleTest, ServicePrincipalFromRealRecording) {
  ArmBody r = Prepare(
      LoadBody(std::string(kRec) + "Microsoft_Authorization_roleAssignments__list.json", 0));
  GraphFragment f;
  RoleAssignmentRule(r, RuleContext{"t", {}}, &f);
  EXPECT_TRUE(
      HasEdge(f, r.key, "/servicePrincipals/40230042-7c24-4fde-af2d-9b5804236df0", "ASSIGNED_TO"));
  EXPECT_TRUE(
      HasEdge(f, r.key,
              "/subscriptions/1c638cf4-608f-4ee6-b680-c329e824c3a8/providers/"
              "microsoft.authorization/roledefinitions/312a565d-c81f-4fd8-895a-4e21e48d571c",
              "HAS_ROLE"));
}

TEST(RoleAssignmentRuleTest, UnknownPrincipalTypeUsesResolverThenPlaceholder) {
  json::object body =
      LoadBody("rest-api-specs-examples/authorization/2020-10-01-preview/RoleAssignments_Get.json");
  body["properties"].as_object().erase("principalType");
  ArmBody r = Prepare(body);
  GraphFragment f;
  RoleAssignmentRule(r, RuleContext{"t", {}}, &f);
  EXPECT_TRUE(
      HasEdge(f, r.key, "/directoryObjects/ce2ce14e-85d7-4629-bdbc-454d0519d987", "ASSIGNED_TO"));
  GraphFragment g;
  RuleContext ctx{"t",
                  [](std::string_view id) -> std::optional<std::string> { return GroupKey(id); }};
  RoleAssignmentRule(r, ctx, &g);
  EXPECT_TRUE(HasEdge(g, r.key, "/groups/ce2ce14e-85d7-4629-bdbc-454d0519d987", "ASSIGNED_TO"));
}

TEST(RoleAssignmentRuleTest, OnlyForRoleAssignments) {
  ArmBody r = Prepare(LoadBody(std::string(kRec) + "Microsoft_Compute_virtualMachines__get.json"));
  GraphFragment f;
  RoleAssignmentRule(r, RuleContext{"t", {}}, &f);
  EXPECT_TRUE(f.edges.empty());
}

}  // namespace
}  // namespace atg::graph
