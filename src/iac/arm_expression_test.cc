#include "iac/arm_expression.h"

#include <gtest/gtest.h>

namespace atg::iac {
namespace {

TEST(ArmExpressionTest, LiteralsStartingWithABracketAreEscaped) {
  EXPECT_EQ(EscapeArmLiteral("[prod]"), "[[prod]");
  EXPECT_EQ(EscapeArmLiteral("["), "[[");
  EXPECT_EQ(EscapeArmLiteral("a[b]"), "a[b]");
  EXPECT_EQ(EscapeArmLiteral(""), "");
}

TEST(ArmExpressionTest, QuotesDoubleSingleQuotes) {
  EXPECT_EQ(ArmQuote("it's"), "'it''s'");
  EXPECT_EQ(ArmQuote(""), "''");
  EXPECT_EQ(ArmQuote("''"), "''''''");
}

TEST(ArmExpressionTest, BuildsTheSupportedFunctions) {
  EXPECT_EQ(ArmExpression(ArmParameters("pw")), "[parameters('pw')]");
  EXPECT_EQ(ArmResourceId("", "", "Microsoft.Network/virtualNetworks/subnets", {"v", "s"}),
            "resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')");
  EXPECT_EQ(ArmResourceId("subscription().subscriptionId", ArmQuote("rg"),
                          "Microsoft.Network/virtualNetworks", {"v"}),
            "resourceId(subscription().subscriptionId, 'rg', 'Microsoft.Network/virtualNetworks', "
            "'v')");
  EXPECT_EQ(ArmSubscriptionResourceId("Microsoft.Resources/resourceGroups", {"o'k"}),
            "subscriptionResourceId('Microsoft.Resources/resourceGroups', 'o''k')");
  EXPECT_EQ(
      ArmExtensionResourceId("resourceId('A/b', 'x')", "Microsoft.Authorization/roleAssignments",
                             {"g"}),
      "extensionResourceId(resourceId('A/b', 'x'), 'Microsoft.Authorization/roleAssignments', "
      "'g')");
  EXPECT_EQ(ArmConcat({"resourceId('A/b', 'x')", ArmQuote("/pools/p")}),
            "concat(resourceId('A/b', 'x'), '/pools/p')");
}

}  // namespace
}  // namespace atg::iac
