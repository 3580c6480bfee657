#include "cli/identity_map.h"

#include <gtest/gtest.h>

namespace atg::cli {
namespace {

TEST(IdentityMapTest, FlatAndSectionedMembers) {
  auto doc =
      ParseJson(R"({"AAAAAAAA-0000-0000-0000-000000000001": "bbbbbbbb-0000-0000-0000-000000000001",
    "users": {"aaaaaaaa-0000-0000-0000-000000000002": "bbbbbbbb-0000-0000-0000-000000000002"}})");
  auto m = ParseIdentityMap(*doc);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->size(), 2u);
  EXPECT_EQ(m->at("aaaaaaaa-0000-0000-0000-000000000001"), "bbbbbbbb-0000-0000-0000-000000000001");
}

TEST(IdentityMapTest, ErrorsNameTheJsonPath) {
  auto doc = ParseJson(R"({"users": {"aaaaaaaa-0000-0000-0000-000000000002": 5}})");
  auto m = ParseIdentityMap(*doc);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find(R"($["users"]["aaaaaaaa-0000-0000-0000-000000000002"])"),
            std::string::npos)
      << m.status().message();
  auto bad_key =
      ParseIdentityMap(*ParseJson(R"({"alice": "bbbbbbbb-0000-0000-0000-000000000002"})"));
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.status().message().find(R"($["alice"])"), std::string::npos);
  EXPECT_FALSE(ParseIdentityMap(*ParseJson("[1]")).ok());
  auto missing = LoadIdentityMap("/nonexistent/map.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("--identity-map /nonexistent/map.json"),
            std::string::npos);
}

}  // namespace
}  // namespace atg::cli
