#include "common/arm_types.h"

#include <gtest/gtest.h>

namespace atg {
namespace {

TEST(ArmTypesTest, ChildListsOfKnownParent) {
  auto lists = ChildListsOf("microsoft.sql/servers");
  ASSERT_EQ(lists.size(), 2u);
  EXPECT_EQ(lists[0]->child_type, "microsoft.sql/servers/databases");
  EXPECT_EQ(lists[1]->segment, "firewallRules");
  EXPECT_TRUE(lists[1]->inlined_property.empty());
}

TEST(ArmTypesTest, InlinedChildrenNameTheirProperty) {
  auto lists = ChildListsOf("microsoft.network/virtualnetworks");
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(lists[0]->inlined_property, "subnets");
  EXPECT_TRUE(ChildListsOf("microsoft.network/virtualNetworks").empty())
      << "parent types are matched lower-cased";
  EXPECT_TRUE(ChildListsOf("microsoft.unknown/things").empty());
}

TEST(ArmTypesTest, DefaultApiVersionTakesTheLongestPrefix) {
  EXPECT_EQ(DefaultApiVersion("microsoft.network/virtualnetworks"), "2024-05-01");
  EXPECT_EQ(DefaultApiVersion("microsoft.network/privatednszones"), "2020-06-01");
  EXPECT_EQ(DefaultApiVersion("microsoft.network/privatednszones/virtualnetworklinks"),
            "2020-06-01");
  EXPECT_EQ(DefaultApiVersion("microsoft.compute/disks"), "2023-04-02");
  EXPECT_EQ(DefaultApiVersion("microsoft.compute/virtualmachines"), "2024-07-01");
}

TEST(ArmTypesTest, DefaultApiVersionNeedsAWholeSegment) {
  // "microsoft.networkx" is not in the "microsoft.network" namespace.
  EXPECT_EQ(DefaultApiVersion("microsoft.networkx/things"), "2021-04-01");
  EXPECT_EQ(DefaultApiVersion("microsoft.unknown/things"), "2021-04-01");
}

}  // namespace
}  // namespace atg
