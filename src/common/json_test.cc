#include "common/json.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/strings.h"

namespace atg {
namespace {

TEST(JsonTest, ParseErrorsAreStatuses) {
  EXPECT_TRUE(ParseJson("{\"a\":1}").ok());
  auto bad = ParseJson("{\"a\":");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST(JsonTest, RequireReportsPath) {
  auto v = ParseJson("{\"id\": 5}");
  auto r = RequireString(v->as_object(), "id", "$.resources[3]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "$.resources[3].id: expected a string");
  auto m = RequireArray(v->as_object(), "value", "$");
  EXPECT_EQ(m.status().message(), "$.value: required array is missing");
}

TEST(JsonTest, FindHelpers) {
  auto v = ParseJson(R"({"s":"x","i":3,"b":true,"o":{"k":1},"a":[1],"Location":"eu"})");
  const json::object* o = &v->as_object();
  EXPECT_EQ(*FindString(o, "s"), "x");
  EXPECT_EQ(*FindInt(o, "i"), 3);
  EXPECT_TRUE(*FindBool(o, "b"));
  EXPECT_NE(FindObject(o, "o"), nullptr);
  EXPECT_NE(FindArray(o, "a"), nullptr);
  EXPECT_EQ(FindString(o, "i"), std::nullopt);
  EXPECT_EQ(FindString(nullptr, "s"), std::nullopt);
  EXPECT_NE(FindIgnoreCase(o, "location"), nullptr);
}

TEST(JsonTest, WriteAndReadFileRoundTrip) {
  auto path = (std::filesystem::temp_directory_path() / "atg_json_test.json").string();
  json::value v = {{"a", 1}, {"b", {1, 2, 3}}};
  ASSERT_TRUE(WriteJsonFile(path, v, true).ok());
  auto back = ReadJsonFile(path);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, v);
  std::filesystem::remove(path);
  EXPECT_EQ(ReadJsonFile(path).status().code(), StatusCode::kNotFound);
}

TEST(StringsTest, Basics) {
  EXPECT_EQ(ToLower("AbC"), "abc");
  EXPECT_TRUE(EqualsIgnoreCase("Microsoft.Network", "microsoft.network"));
  EXPECT_EQ(Split("a,,b", ',').size(), 3u);
  EXPECT_EQ(Split("a,,b", ',', true).size(), 2u);
  EXPECT_EQ(UrlDecode("a%20b+c%2"), "a b c%2");
  EXPECT_EQ(UrlEncode("a b/c"), "a%20b%2Fc");
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secrets"));
}

}  // namespace
}  // namespace atg
