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

TEST(LogsToRuleTest, ApplicationInsightsToWorkspace) {
  ArmBody r = Prepare(
      LoadBody("rest-api-specs-examples/applicationinsights/2020-02-02/ComponentsGet.json"));
  GraphFragment f;
  LogsToRule(r, &f);
  ASSERT_EQ(f.edges.size(), 1u);
  EXPECT_TRUE(HasEdge(f, r.key,
                      "/subscriptions/subid/resourcegroups/my-resource-group/providers/"
                      "microsoft.operationalinsights/workspaces/my-workspace",
                      "LOGS_TO"));
}

TEST(LogsToRuleTest, DiagnosticSettingWithoutWorkspaceGivesNothing) {
  // The recorded setting streams to an Event Hub only ("workspaceId": null).
  ArmBody r =
      Prepare(LoadBody(std::string(kRec) + "microsoft_insights_diagnosticSettings__get.json"));
  GraphFragment f;
  LogsToRule(r, &f);
  EXPECT_TRUE(f.edges.empty());
}

TEST(LogsToRuleTest, DiagnosticSettingAndItsResourceToWorkspace) {
  json::object body =
      LoadBody(std::string(kRec) + "microsoft_insights_diagnosticSettings__get.json");
  const std::string ws =
      "/subscriptions/1c638cf4-608f-4ee6-b680-c329e824c3a8/resourceGroups/jmonitor_74c73650/"
      "providers/Microsoft.OperationalInsights/workspaces/ws1";
  body["properties"].as_object()["workspaceId"] = ws;
  ArmBody r = Prepare(body);
  GraphFragment f;
  LogsToRule(r, &f);
  ASSERT_EQ(f.edges.size(), 2u);
  EXPECT_TRUE(HasEdge(f, r.key, ToLower(ws), "LOGS_TO"));
  EXPECT_TRUE(HasEdge(f,
                      "/subscriptions/1c638cf4-608f-4ee6-b680-c329e824c3a8/resourcegroups/"
                      "rg234085226f/providers/microsoft.compute/virtualmachines/vma6e2878463",
                      ToLower(ws), "LOGS_TO"));
}

}  // namespace
}  // namespace atg::graph
