#include "sim/api_common.h"

#include <gtest/gtest.h>

#include "common/base64.h"

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
}

TEST(ApiCommonTest, StableGuidsAreDeterministicVersion4Shaped) {
  const std::string g = StableGuid("seed-1");
  EXPECT_EQ(g, StableGuid("seed-1"));
  EXPECT_NE(g, StableGuid("seed-2"));
  ASSERT_EQ(g.size(), 36u);
  for (size_t i : {8u, 13u, 18u, 23u}) EXPECT_EQ(g[i], '-') << g;
  EXPECT_EQ(g[14], '4') << g;                                                    // version
  EXPECT_NE(std::string_view("89ab").find(g[19]), std::string_view::npos) << g;  // variant
  EXPECT_EQ(g.find_first_not_of("0123456789abcdef-"), std::string::npos) << g;
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
