#include "iac/body_path.h"

#include <gtest/gtest.h>

namespace atg::iac {
namespace {

TEST(BodyPathTest, ParsesKeysIndexesAndObjectKeys) {
  auto steps = ParseBodyPath("properties.ipConfigurations[0].properties.subnet.id");
  ASSERT_TRUE(steps.ok()) << steps.status().message();
  ASSERT_EQ(steps->size(), 6u);
  EXPECT_EQ((*steps)[1].key, "ipConfigurations");
  EXPECT_EQ((*steps)[2].kind, PathStep::kIndex);
  EXPECT_EQ((*steps)[2].index, 0u);
  EXPECT_EQ((*steps)[5].key, "id");

  auto key = ParseBodyPath("identity.userAssignedIdentities[\"/subscriptions/s/x\\\"y\"]");
  ASSERT_TRUE(key.ok()) << key.status().message();
  ASSERT_EQ(key->size(), 3u);
  EXPECT_EQ((*key)[2].kind, PathStep::kObjectKey);
  EXPECT_EQ((*key)[2].key, "/subscriptions/s/x\"y");

  auto nested = ParseBodyPath("a[1][2].b");
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(nested->size(), 4u);
}

TEST(BodyPathTest, RejectsMalformedPaths) {
  for (const char* bad : {"", "a..b", "a[", "a[x]", "a.", "a[\"k\"].b", "a[\"k"}) {
    EXPECT_FALSE(ParseBodyPath(bad).ok()) << bad;
  }
}

TEST(BodyPathTest, ResolvesAndEnsures) {
  json::object body = json::parse(R"({"p":{"a":[{"id":"x"}],"m":{"/k":{}}}})").as_object();
  auto t = ResolveBodyPath(body, *ParseBodyPath("p.a[0].id"));
  ASSERT_NE(t.value, nullptr);
  EXPECT_EQ(t.value->as_string(), "x");
  auto k = ResolveBodyPath(body, *ParseBodyPath("p.m[\"/k\"]"));
  ASSERT_NE(k.value, nullptr);
  EXPECT_TRUE(k.is_key);
  EXPECT_EQ(ResolveBodyPath(body, *ParseBodyPath("p.a[1].id")).value, nullptr);
  EXPECT_EQ(ResolveBodyPath(body, *ParseBodyPath("q")).value, nullptr);

  json::value* created = EnsureBodyPath(body, *ParseBodyPath("p.os.adminPassword"));
  ASSERT_NE(created, nullptr);
  *created = "placeholder";
  EXPECT_EQ(body.at("p").at("os").at("adminPassword").as_string(), "placeholder");
  EXPECT_EQ(EnsureBodyPath(body, *ParseBodyPath("p.a[3].x")), nullptr);
  EXPECT_EQ(EnsureBodyPath(body, *ParseBodyPath("p.a[0].id.deeper")), nullptr);
}

}  // namespace
}  // namespace atg::iac
