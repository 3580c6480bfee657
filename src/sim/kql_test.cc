#include "sim/kql.h"

#include <gtest/gtest.h>

namespace atg::sim::kql {
namespace {

TEST(KqlTest, AcceptsTheScannerQueries) {
  const char* accepted[] = {
      "Resources",
      "resources",
      "Resources | where type =~ 'microsoft.network/virtualnetworks'",
      "Resources | where type == \"microsoft.compute/virtualmachines\" | project id, name",
      "Resources | where type in~ ('a/b', 'c/d') and subscriptionId == 'x' | order by id asc",
      "Resources | where resourceGroup =~ 'rg' and location != 'eastus' | take 5",
      "ResourceContainers | where type =~ 'microsoft.resources/subscriptions'",
      "AuthorizationResources | where type =~ 'microsoft.authorization/roleassignments'",
      "Resources | project id, state = properties.provisioningState | sort by state desc",
      "Resources | where name contains 'test' | project id, name, type, location",
      "Resources | where tags.env =~ 'prod' | limit 10 | order by name",
      "Resources|where type!~'x'|project id",
      "Resources | where type !in~ ('a', 'b') and name startswith 'st' and name endswith '1'",
      "Resources | project id, name | project name",
  };
  for (const char* q : accepted) {
    auto r = Parse(q);
    EXPECT_TRUE(r.ok()) << q << ": " << r.status().message();
  }
}

TEST(KqlTest, RejectsWhatItDoesNotUnderstandAndSaysWhat) {
  struct Case {
    const char* query;
    const char* mentions;
  };
  const Case rejected[] = {
      {"", "empty"},
      {"SecurityResources", "SecurityResources"},
      {"Resources | summarize count() by type", "summarize"},
      {"Resources | where type =~ 'a' or type =~ 'b'", "'or'"},
      {"Resources | where type", "comparison"},
      {"Resources | where type =~", "literal"},
      {"Resources | where type =~ 'unterminated", "unterminated"},
      {"Resources | where isnotempty(name)", "comparison"},
      {"Resources | project id, name | where name == 'x'", "after 'project'"},
      {"Resources | extend x = 1", "extend"},
      {"Resources | limit many", "number"},
      {"Resources | join (ResourceContainers) on subscriptionId", "join"},
      {"Resources | where type in~ 'a'", "'('"},
      {"Resources | order id", "'by'"},
      {"Resources | where name == 'a' | project id | project name", "name"},
      {"Resources ; Resources", "';'"},
  };
  for (const Case& c : rejected) {
    auto r = Parse(c.query);
    ASSERT_FALSE(r.ok()) << c.query;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.mentions), std::string::npos)
        << c.query << " -> " << r.status().message();
  }
}

TEST(KqlTest, ParsesStructure) {
  auto r = Parse(
      "Resources | where type in~ ('A', 'b') and properties.state == 'on' | project id, "
      "st = properties.state | order by st asc, id | take 7 | limit 9");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->table, Table::kResources);
  ASSERT_EQ(r->where.size(), 2u);
  EXPECT_EQ(r->where[0].op, Op::kInNoCase);
  EXPECT_EQ(r->where[0].values, (std::vector<std::string>{"A", "b"}));
  EXPECT_EQ(r->where[1].column, (std::vector<std::string>{"properties", "state"}));
  EXPECT_EQ(r->where[1].op, Op::kEq);
  ASSERT_EQ(r->project.size(), 2u);
  EXPECT_EQ(r->project[1].output_name, "st");
  ASSERT_EQ(r->order.size(), 2u);
  EXPECT_EQ(r->order[0].column, (std::vector<std::string>{"properties", "state"}));
  EXPECT_FALSE(r->order[0].descending);
  EXPECT_TRUE(r->order[1].descending);  // Kusto's default
  EXPECT_EQ(r->limit, 7u);
}

}  // namespace
}  // namespace atg::sim::kql
