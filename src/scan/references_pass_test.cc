#include "scan/references_pass.h"

#include <gtest/gtest.h>

namespace atg::scan {
namespace {

constexpr const char* kRg = "/subscriptions/s1/resourcegroups/rg";

TEST(FetchableIdOfTest, TopLevelResourceIsItself) {
  std::string vnet = std::string(kRg) + "/providers/microsoft.network/virtualnetworks/v";
  EXPECT_EQ(FetchableIdOf(vnet), vnet);
}

TEST(FetchableIdOfTest, ChildOrExtensionIsItsTopLevelResource) {
  std::string vnet = std::string(kRg) + "/providers/microsoft.network/virtualnetworks/v";
  EXPECT_EQ(FetchableIdOf(vnet + "/subnets/a"), vnet);
  EXPECT_EQ(FetchableIdOf(vnet + "/subnets/a/providers/microsoft.insights/diagnosticsettings/d"),
            vnet);
  std::string db = std::string(kRg) + "/providers/microsoft.sql/servers/s/databases/d";
  EXPECT_EQ(FetchableIdOf(db), std::string(kRg) + "/providers/microsoft.sql/servers/s");
}

TEST(FetchableIdOfTest, ResourceGroupIsItself) { EXPECT_EQ(FetchableIdOf(kRg), kRg); }

TEST(FetchableIdOfTest, NothingToFetchAboveResourceGroups) {
  EXPECT_EQ(FetchableIdOf("/subscriptions/s1"), "");
  EXPECT_EQ(FetchableIdOf("/subscriptions/s1/providers/microsoft.authorization/roleassignments/r"),
            "");
  EXPECT_EQ(FetchableIdOf("/providers/microsoft.authorization/roledefinitions/x"), "");
  EXPECT_EQ(FetchableIdOf("not an id"), "");
}

}  // namespace
}  // namespace atg::scan
