#include "sim/arm_template_expression.h"

#include <gtest/gtest.h>

namespace atg::sim {
namespace {

constexpr const char* kSub = "11111111-1111-4111-8111-111111111111";

ExpressionContext Context() {
  ExpressionContext c;
  c.tenant_id = "72f988bf-0000-4000-8000-000000000001";
  c.subscription_id = kSub;
  c.resource_group = "rg-app";
  c.resource_group_location = "westeurope";
  c.deployment_name = "dep1";
  c.parameter = [](std::string_view n) -> Result<json::value> {
    if (n == "vnetName") return json::value("vnet1");
    if (n == "count") return json::value(3);
    if (n == "cfg") return json::value(json::object{{"inner", json::object{{"x", "y"}}}});
    return Status::InvalidArgument("The template parameter '" + std::string(n) + "' is not found");
  };
  c.variable = [](std::string_view n) -> Result<json::value> {
    if (n == "prefix") return json::value("app");
    return Status::InvalidArgument("The template variable '" + std::string(n) + "' is not found");
  };
  return c;
}

std::string Eval(std::string_view text) {
  auto r = EvaluateTemplateString(text, Context());
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  if (!r.ok()) return "<error>";
  return r->is_string() ? std::string(r->as_string()) : json::serialize(*r);
}

std::string Error(std::string_view text) {
  auto r = EvaluateTemplateString(text, Context());
  EXPECT_FALSE(r.ok()) << text << " evaluated to " << (r.ok() ? json::serialize(*r) : "");
  return r.ok() ? "" : r.status().message();
}

TEST(ArmTemplateExpression, LiteralsAndEscapes) {
  EXPECT_EQ(Eval("plain"), "plain");
  EXPECT_EQ(Eval("[[not an expression]"), "[not an expression]");
  EXPECT_EQ(Eval("['it''s']"), "it's");
  EXPECT_EQ(Eval("[42]"), "42");
  EXPECT_EQ(Eval("[-7]"), "-7");
  EXPECT_EQ(Eval("[true]"), "true");
  EXPECT_EQ(Eval("[false()]"), "false");
  EXPECT_FALSE(IsTemplateExpression("[[x]"));
  EXPECT_TRUE(IsTemplateExpression("[x()]"));
  EXPECT_FALSE(IsTemplateExpression("x]"));
}

TEST(ArmTemplateExpression, ParametersVariablesAndPropertyAccess) {
  EXPECT_EQ(Eval("[parameters('vnetName')]"), "vnet1");
  EXPECT_EQ(Eval("[parameters( 'count' )]"), "3");
  EXPECT_EQ(Eval("[variables('prefix')]"), "app");
  EXPECT_EQ(Eval("[parameters('cfg').inner.x]"), "y");
  EXPECT_EQ(Eval("[parameters('cfg')['inner']['x']]"), "y");
  EXPECT_EQ(Eval("[subscription().subscriptionId]"), kSub);
  EXPECT_EQ(Eval("[resourceGroup().name]"), "rg-app");
  EXPECT_EQ(Eval("[resourceGroup().location]"), "westeurope");
  EXPECT_EQ(Eval("[deployment().name]"), "dep1");
  EXPECT_NE(Error("[parameters('missing')]").find("'missing'"), std::string::npos);
  EXPECT_NE(Error("[parameters('cfg').nope]").find("'nope'"), std::string::npos);
}

TEST(ArmTemplateExpression, ResourceIds) {
  std::string rg = std::string("/subscriptions/") + kSub + "/resourceGroups/rg-app";
  EXPECT_EQ(Eval("[resourceId('Microsoft.Network/virtualNetworks', parameters('vnetName'))]"),
            rg + "/providers/Microsoft.Network/virtualNetworks/vnet1");
  EXPECT_EQ(Eval("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1', 'snet')]"),
            rg + "/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/snet");
  EXPECT_EQ(Eval("[resourceId('rg-other', 'Microsoft.Network/virtualNetworks', 'v')]"),
            std::string("/subscriptions/") + kSub +
                "/resourceGroups/rg-other/providers/Microsoft.Network/virtualNetworks/v");
  EXPECT_EQ(Eval("[resourceId('22222222-2222-4222-8222-222222222222', 'rg2', "
                 "'Microsoft.Storage/storageAccounts', 'st')]"),
            "/subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg2/providers/"
            "Microsoft.Storage/storageAccounts/st");
  EXPECT_EQ(Eval("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', "
                 "'acdd72a7-3385-48ef-bd42-f606fba81ae7')]"),
            std::string("/subscriptions/") + kSub +
                "/providers/Microsoft.Authorization/roleDefinitions/"
                "acdd72a7-3385-48ef-bd42-f606fba81ae7");
  EXPECT_EQ(Eval("[extensionResourceId(resourceId('Microsoft.KeyVault/vaults', 'kv'), "
                 "'Microsoft.Insights/diagnosticSettings', 'send')]"),
            rg + "/providers/Microsoft.KeyVault/vaults/kv/providers/"
                 "Microsoft.Insights/diagnosticSettings/send");
  EXPECT_NE(Error("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1')]")
                .find("needs 2 name segment(s)"),
            std::string::npos);
}

TEST(ArmTemplateExpression, ConcatAndFormat) {
  EXPECT_EQ(Eval("[concat(variables('prefix'), '-', parameters('count'), '-', true)]"),
            "app-3-True");
  EXPECT_EQ(Eval("[concat(createArray(1, 2), createArray(3))]"), "[1,2,3]");
  EXPECT_EQ(Eval("[format('{0}-{1}-{0}', 'a', 'b')]"), "a-b-a");
  EXPECT_EQ(Eval("[format('{{literal}} {0}', 'x')]"), "{literal} x");
  EXPECT_EQ(Eval("[toLower('AbC')]"), "abc");
  EXPECT_NE(Error("[format('{1}', 'only')]").find("{1}"), std::string::npos);
}

TEST(ArmTemplateExpression, GuidIsDeterministic) {
  std::string a = Eval("[guid('x', 'y')]");
  EXPECT_EQ(a, Eval("[guid('x', 'y')]"));
  EXPECT_NE(a, Eval("[guid('x', 'z')]"));
  EXPECT_EQ(a.size(), 36u);
  EXPECT_EQ(a[14], '4');
}

TEST(ArmTemplateExpression, ErrorsNameTheProblem) {
  EXPECT_NE(Error("[reference('x').id]").find("'reference'"), std::string::npos);
  EXPECT_NE(Error("[listKeys('x', '2020-01-01')]").find("'listKeys'"), std::string::npos);
  EXPECT_FALSE(Error("[concat('a']").empty());
  EXPECT_NE(Error("['unterminated]").find("unterminated"), std::string::npos);
  EXPECT_NE(Error("[concat('a') extra]").find("extra"), std::string::npos);
  EXPECT_NE(Error("[parameters]").find("parameters()"), std::string::npos);

  ExpressionContext at_sub = Context();
  at_sub.resource_group.clear();
  auto r = EvaluateTemplateString("[resourceGroup().name]", at_sub);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("subscription scope"), std::string::npos);
}

TEST(ArmTemplateExpression, ValuesEvaluateRecursivelyAndNameThePath) {
  auto v =
      ParseJson(R"({"a":"[parameters('vnetName')]","b":["[[x]",1,{"c":"[concat('p','q')]"}]})");
  ASSERT_TRUE(v.ok());
  auto r = EvaluateTemplateValue(*v, Context(), "resources[0]");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(json::serialize(*r), R"({"a":"vnet1","b":["[x]",1,{"c":"pq"}]})");

  auto keyed = ParseJson(R"({"[concat('k', '1')]":{"[[literal]":1}})");
  auto k = EvaluateTemplateValue(*keyed, Context(), "identity");
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_EQ(json::serialize(*k), R"({"k1":{"[literal]":1}})");

  auto bad = ParseJson(R"({"p":{"q":["ok","[nope()]"]}})");
  auto e = EvaluateTemplateValue(*bad, Context(), "resources[3]");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("resources[3].p.q[1]"), std::string::npos)
      << e.status().message();
  EXPECT_NE(e.status().message().find("'nope'"), std::string::npos);
}

}  // namespace
}  // namespace atg::sim
