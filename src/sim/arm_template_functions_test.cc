#include "sim/arm_template_functions.h"

#include <gtest/gtest.h>

namespace atg::sim {
namespace {

TEST(TemplateFunctionsTest, LookupIgnoresCase) {
  for (std::string_view name : {"resourceId", "RESOURCEID", "resourceid", "uniqueString"}) {
    const TemplateFunction* f = FindTemplateFunction(name);
    ASSERT_NE(f, nullptr) << name;
  }
  EXPECT_EQ(FindTemplateFunction("reference"), nullptr);
  EXPECT_EQ(FindTemplateFunction(""), nullptr);
}

TEST(TemplateFunctionsTest, EveryEntryIsFoundUnderItsOwnName) {
  std::string list = SupportedTemplateFunctions();
  size_t start = 0;
  int count = 0;
  while (start <= list.size()) {
    size_t end = list.find(", ", start);
    std::string name = list.substr(start, end == std::string::npos ? end : end - start);
    const TemplateFunction* f = FindTemplateFunction(name);
    ASSERT_NE(f, nullptr) << name;
    EXPECT_EQ(f->name, name);
    EXPECT_LE(f->min_args, f->max_args) << name;
    ++count;
    if (end == std::string::npos) break;
    start = end + 2;
  }
  EXPECT_GE(count, 36);
}

TEST(TemplateFunctionsTest, ArityIsCheckedBeforeTheFunctionRuns) {
  ExpressionContext ctx;  // no parameter callback: a call that got through would fail otherwise
  auto r = CallTemplateFunction("Parameters", {}, ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "the template function 'Parameters' expects 1 argument(s), not 0");
  r = CallTemplateFunction("resourceId", {json::value("x")}, ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "the template function 'resourceId' expects at least 2 argument(s), not 1");
  r = CallTemplateFunction("if", {json::value(true), json::value(1)}, ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "the template function 'if' expects 3 argument(s), not 2");
}

TEST(TemplateFunctionsTest, UnknownFunctionNamesItAndTheSupportedOnes) {
  auto r = CallTemplateFunction("listKeys", {json::value("x")}, ExpressionContext{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("'listKeys'"), std::string::npos);
  EXPECT_NE(r.status().message().find(SupportedTemplateFunctions()), std::string::npos);
}

TEST(TemplateFunctionsTest, CallsTheEntry) {
  ExpressionContext ctx;
  ctx.subscription_id = "11111111-1111-4111-8111-111111111111";
  ctx.resource_group = "rg";
  auto r = CallTemplateFunction(
      "resourceId", {json::value("Microsoft.Network/virtualNetworks"), json::value("v")}, ctx);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->as_string(),
            "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/"
            "Microsoft.Network/virtualNetworks/v");
}

}  // namespace
}  // namespace atg::sim
