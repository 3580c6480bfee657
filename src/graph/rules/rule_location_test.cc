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

TEST(LocationRuleTest, ResourceLocatedInRegion) {
  ArmBody r = Prepare(LoadBody(std::string(kRec) + "Microsoft_Compute_virtualMachines__get.json"));
  GraphFragment f;
  LocationRule(r, &f);
  ASSERT_EQ(f.nodes.size(), 1u);
  EXPECT_EQ(f.nodes[0].key, "/regions/eastus");
  EXPECT_EQ(f.nodes[0].label, "Region");
  EXPECT_TRUE(HasEdge(f, r.key, "/regions/eastus", "LOCATED_IN"));
}

TEST(LocationRuleTest, DisplayNameLocationsAreNormalised) {
  ArmBody r = Prepare(
      LoadBody("rest-api-specs-examples/applicationinsights/2020-02-02/ComponentsGet.json"));
  GraphFragment f;
  LocationRule(r, &f);
  EXPECT_TRUE(HasEdge(f, r.key, "/regions/southcentralus", "LOCATED_IN"));
}

TEST(LocationRuleTest, NullLocationGivesNothing) {
  ArmBody r =
      Prepare(LoadBody(std::string(kRec) + "microsoft_insights_diagnosticSettings__get.json"));
  GraphFragment f;
  LocationRule(r, &f);
  EXPECT_TRUE(f.edges.empty());
  EXPECT_TRUE(f.nodes.empty());
}

}  // namespace
}  // namespace atg::graph
