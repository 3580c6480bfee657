#include "iac/plan_references.h"

#include <gtest/gtest.h>

namespace atg::iac {
namespace {

constexpr const char* kLb =
    "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/RG/providers/"
    "Microsoft.Network/loadBalancers/LB1";

TEST(PlanReferencesTest, CollectsValuesAndKeysAsWritten) {
  const std::string pool = std::string(kLb) + "/backendAddressPools/Pool1";
  json::value body = json::object{
      {"properties",
       json::object{{"pools", json::array{json::object{{"id", pool}}}}, {"note", "not an id"}}},
      {"identity", json::object{{"userAssignedIdentities", json::object{{kLb, json::object{}}}}}}};
  std::vector<RawRef> refs;
  CollectRawRefs(body, &refs);
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].id, pool);
  EXPECT_EQ(refs[0].path, "properties.pools[0].id");
  EXPECT_EQ(refs[1].id, kLb);
  EXPECT_EQ(refs[1].path, std::string("identity.userAssignedIdentities[\"") + kLb + "\"]");
}

TEST(PlanReferencesTest, SuffixKeepsItsCasingAndDropsATrailingSlash) {
  std::string key = kLb;
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(ReferenceSuffix(std::string(kLb) + "/backendAddressPools/Pool1/", key),
            "/backendAddressPools/Pool1");
  EXPECT_EQ(ReferenceSuffix(kLb, key), "");
  EXPECT_EQ(ReferenceSuffix("/subscriptions/other/resourceGroups/rg/providers/x/y/z/w", key), "");
}

}  // namespace
}  // namespace atg::iac
