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

TEST(UsesIdentityRuleTest, UserAssignedIdentitiesByKey) {
  ArmBody r = Prepare(
      LoadBody(std::string(kRec) + "Microsoft_ContainerInstance_containerGroups__get.json"));
  GraphFragment f;
  UsesIdentityRule(r, &f);
  ASSERT_EQ(f.edges.size(), 2u);
  EXPECT_TRUE(HasEdge(f, r.key,
                      "/subscriptions/1c638cf4-608f-4ee6-b680-c329e824c3a8/resourcegroups/"
                      "rgaci8495/providers/microsoft.managedidentity/userassignedidentities/"
                      "msi-id2731",
                      "USES_IDENTITY"));
}

TEST(UsesIdentityRuleTest, SystemAndUserAssigned) {
  ArmBody r = Prepare(
      LoadBody("rest-api-specs-examples/cosmos-db/2021-10-15/CosmosDBDatabaseAccountGet.json"));
  GraphFragment f;
  UsesIdentityRule(r, &f);
  EXPECT_TRUE(HasEdge(f, r.key, "/servicePrincipals/52f4fef3-3c3f-4ff3-b52e-b5c9eeb68656",
                      "USES_IDENTITY"));
  EXPECT_TRUE(HasEdge(f, r.key,
                      "/subscriptions/fa5fc227-a624-475e-b696-cdd604c735bc/resourcegroups/"
                      "eu2cgroup/providers/microsoft.managedidentity/userassignedidentities/id1",
                      "USES_IDENTITY"));
  EXPECT_EQ(f.edges.size(), 2u);
}

TEST(UsesIdentityRuleTest, NoIdentityNoEdge) {
  ArmBody r = Prepare(LoadBody(std::string(kRec) + "Microsoft_Web_sites__get.json"));
  GraphFragment f;
  UsesIdentityRule(r, &f);
  EXPECT_TRUE(f.edges.empty());
}

}  // namespace
}  // namespace atg::graph
