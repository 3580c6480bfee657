#include "sim/api_common.h"

#include <gtest/gtest.h>

namespace atg::sim {
namespace {

TEST(ApiCommonTest, JsonTextMatchesBoostSerializer) {
  const char* docs[] = {
      R"({"a":"plain","b":"q\"uote\\back\nline\ttab\r\b\f\u0001","c":[1,2.5,true,null,{}]})",
      R"("just a string")",
      "null",
      "true",
      "12",
      R"({"nested":{"deep":[{"x":"\u00e9"}]}})"};
  for (const char* d : docs) {
    auto v = ParseJson(d);
    ASSERT_TRUE(v.ok()) << d;
    std::string out = "prefix";
    AppendJson(out, *v);
    EXPECT_EQ(out, "prefix" + json::serialize(*v)) << d;
  }
  std::string big(10000, 'x');
  std::string out;
  AppendJson(out, json::value(json::object{{"k", big}}));
  EXPECT_EQ(out, json::serialize(json::object{{"k", big}}));
}

TEST(ApiCommonTest, SkipTokensRoundTripAndAreBoundToTheirQuery) {
  std::string t = MakeSkipToken(1234, 42);
  EXPECT_EQ(ParseSkipToken(t, 42), 1234u);
  EXPECT_EQ(ParseSkipToken(t, 43), std::nullopt);
  EXPECT_EQ(ParseSkipToken("not base64!", 42), std::nullopt);
  EXPECT_EQ(ParseSkipToken(Base64Encode("atg1:5:zz"), 42), std::nullopt);
  EXPECT_EQ(*Base64Decode(Base64Encode("a")), "a");
  EXPECT_EQ(*Base64Decode(Base64Encode("ab")), "ab");
  EXPECT_EQ(*Base64Decode(Base64Encode("abc")), "abc");
}

TEST(ApiCommonTest, ErrorEnvelopes) {
  auto arm = ArmError(404, "ResourceNotFound", "gone");
  EXPECT_EQ(arm.status, 404);
  auto v = ParseJson(arm.body);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*FindString(FindObject(v->if_object(), "error"), "code"), "ResourceNotFound");
  EXPECT_EQ(*FindString(FindObject(v->if_object(), "error"), "message"), "gone");
  auto graph = GraphError(400, "Request_BadRequest", "bad");
  v = ParseJson(graph.body);
  ASSERT_TRUE(v.ok());
  const auto* inner = FindObject(FindObject(v->if_object(), "error"), "innerError");
  ASSERT_NE(inner, nullptr);
  EXPECT_TRUE(FindString(inner, "request-id").has_value());
  EXPECT_EQ(PathSegments("//a/b//c/"), (std::vector<std::string_view>{"a", "b", "c"}));
}

}  // namespace
}  // namespace atg::sim
