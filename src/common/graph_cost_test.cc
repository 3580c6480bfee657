#include "common/graph_cost.h"

#include <gtest/gtest.h>

#include <string>

namespace atg {
namespace {

TEST(GraphCostTest, BaseCostsFromTheTable) {
  EXPECT_EQ(GraphRequestCost("GET", "https://graph.microsoft.com/v1.0/users"), 2);
  EXPECT_EQ(GraphRequestCost("GET", "https://graph.microsoft.com/v1.0/users/abc"), 1);
  EXPECT_EQ(GraphRequestCost("GET", "https://graph.microsoft.com/v1.0/groups"), 1);
  EXPECT_EQ(GraphRequestCost("GET", "https://graph.microsoft.com/v1.0/servicePrincipals"), 1);
  EXPECT_EQ(GraphRequestCost("GET", "https://graph.microsoft.com/v1.0/applications"), 2);
  EXPECT_EQ(GraphRequestCost("GET", "https://graph.microsoft.com/v1.0/groups/g1/members"), 3);
  EXPECT_EQ(GraphRequestCost("GET", "https://graph.microsoft.com/beta/groups/g1/transitiveMembers"),
            5);
  EXPECT_EQ(GraphRequestCost("GET",
                             "https://graph.microsoft.com/v1.0/servicePrincipals/s/"
                             "appRoleAssignments"),
            2);
  EXPECT_EQ(GraphRequestCost("GET", "https://graph.microsoft.com/v1.0/me/memberOf"), 2);
  EXPECT_EQ(GraphRequestCost("GET", "https://graph.microsoft.com/v1.0/users/u1/memberOf"), 2);
  EXPECT_EQ(GraphRequestCost("POST", "https://graph.microsoft.com/v1.0/directoryObjects/getByIds"),
            3);
  EXPECT_EQ(GraphRequestCost("POST", "https://graph.microsoft.com/v1.0/users"), 1);
  // A type cast lists the same members; a prefix before the version is ignored.
  EXPECT_EQ(GraphRequestCost("GET",
                             "http://127.0.0.1:9/graph/v1.0/groups/g1/members/"
                             "microsoft.graph.user"),
            3);
}

TEST(GraphCostTest, QueryOptionsAdjustTheCost) {
  const std::string users = "https://graph.microsoft.com/v1.0/users";
  EXPECT_EQ(GraphRequestCost("GET", users + "?$select=id,displayName"), 1);
  EXPECT_EQ(GraphRequestCost("GET", users + "?%24select=id"), 1);
  EXPECT_EQ(GraphRequestCost("GET", users + "?$expand=manager"), 3);
  EXPECT_EQ(GraphRequestCost("GET", users + "?$top=999"), 2);
  EXPECT_EQ(GraphRequestCost("GET", users + "?$top=10"), 1);
  // Never below 1.
  EXPECT_EQ(GraphRequestCost("GET", users + "?$select=id&$top=5"), 1);
  EXPECT_EQ(GraphRequestCost("GET",
                             "https://graph.microsoft.com/v1.0/groups/g/transitiveMembers"
                             "?$select=id&$expand=x&$top=999"),
            5);
}

TEST(GraphCostTest, PathsWithoutAHostAsTheSimulatorSeesThem) {
  EXPECT_EQ(GraphRequestCost("GET", "/v1.0/users"), 2);
  EXPECT_EQ(GraphRequestCost("GET", "/v1.0/users?$top=10"), 1);
  EXPECT_EQ(GraphRequestCost("GET", "/v1.0/groups/abc/members?$select=id"), 2);
  EXPECT_EQ(GraphRequestCost("get", "/beta/servicePrincipals/x/appRoleAssignments"), 2);
  EXPECT_EQ(GraphRequestCost("GET", "/v1.0/me/ownedObjects"), 2);
}

}  // namespace
}  // namespace atg
