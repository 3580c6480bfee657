#include "iac/plan_rewrite.h"

#include <gtest/gtest.h>

namespace atg::iac {
namespace {

constexpr const char* kSrcSub = "11111111-1111-1111-1111-111111111111";
constexpr const char* kDstSub = "22222222-2222-2222-2222-222222222222";
constexpr const char* kSrcTenant = "33333333-3333-3333-3333-333333333333";
constexpr const char* kDstTenant = "44444444-4444-4444-4444-444444444444";
constexpr const char* kMapped = "55555555-5555-5555-5555-555555555555";
constexpr const char* kTarget = "66666666-6666-6666-6666-666666666666";
constexpr const char* kUnmapped = "77777777-7777-7777-7777-777777777777";

TEST(PlanRewriteTest, SubscriptionsRewrittenInAnyCaseOnlyForSources) {
  std::unordered_set<std::string> sources = {kSrcSub};
  std::string s = std::string("/SUBSCRIPTIONS/") + kSrcSub + "/resourceGroups/rg";
  EXPECT_TRUE(RewriteSubscriptions(&s, sources, kDstSub));
  EXPECT_EQ(s, std::string("/SUBSCRIPTIONS/") + kDstSub + "/resourceGroups/rg");
  std::string other = "/subscriptions/99999999-9999-9999-9999-999999999999/x";
  EXPECT_FALSE(RewriteSubscriptions(&other, sources, kDstSub));
}

TEST(PlanRewriteTest, BodyIdsTenantAndPrincipalsRewritten) {
  std::map<std::string, std::string> identity_map = {{kMapped, kTarget}};
  Rewriter rw;
  rw.source_subscriptions = {kSrcSub};
  rw.target_subscription = kDstSub;
  rw.source_tenant = kSrcTenant;
  rw.target_tenant = kDstTenant;
  rw.identity_map = &identity_map;
  rw.cross_tenant = true;
  ASSERT_TRUE(rw.Active());
  const std::string uai = std::string("/subscriptions/") + kSrcSub +
                          "/resourceGroups/rg/providers/Microsoft.ManagedIdentity/"
                          "userAssignedIdentities/id1";
  json::value body = json::object{
      {"identity", json::object{{"userAssignedIdentities", json::object{{uai, json::object{}}}}}},
      {"properties",
       json::object{{"tenantId", kSrcTenant},
                    {"accessPolicies", json::array{json::object{{"objectId", kMapped}},
                                                   json::object{{"objectId", kUnmapped}}}}}}};
  std::vector<UnmappedSlot> unmapped;
  RewriteBody(rw, &body, &unmapped);
  const json::object& o = body.as_object();
  const json::object& ua = o.at("identity").at("userAssignedIdentities").as_object();
  ASSERT_EQ(ua.size(), 1u);
  EXPECT_EQ(std::string(ua.begin()->key()), rw.Id(uai));
  EXPECT_NE(rw.Id(uai).find(kDstSub), std::string::npos);
  const json::object& props = o.at("properties").as_object();
  EXPECT_EQ(props.at("tenantId").as_string(), kDstTenant);
  const json::array& policies = props.at("accessPolicies").as_array();
  EXPECT_EQ(policies[0].at("objectId").as_string(), kTarget);
  EXPECT_FALSE(policies[1].as_object().contains("objectId")) << "an unmapped id is cut out";
  ASSERT_EQ(unmapped.size(), 1u);
  EXPECT_EQ(unmapped[0].path, "properties.accessPolicies[1].objectId");
  EXPECT_EQ(unmapped[0].field, "objectId");
  EXPECT_EQ(unmapped[0].source_id, kUnmapped);
}

TEST(PlanRewriteTest, SameTenantKeepsPrincipalsItCannotMap) {
  std::map<std::string, std::string> identity_map;
  Rewriter rw;
  rw.identity_map = &identity_map;
  EXPECT_FALSE(rw.Active());
  json::value body = json::object{{"properties", json::object{{"principalId", kUnmapped}}}};
  std::vector<UnmappedSlot> unmapped;
  RewriteBody(rw, &body, &unmapped);
  EXPECT_TRUE(unmapped.empty());
  EXPECT_EQ(body.at("properties").at("principalId").as_string(), kUnmapped);
}

TEST(PlanRewriteTest, RemoveAtPathIgnoresWhatIsNotThere) {
  json::object body = json::parse(R"({"a":{"b":[{"c":1,"d":2}]}})").as_object();
  RemoveAtPath(body, "a.b[0].c");
  EXPECT_EQ(json::serialize(body), R"({"a":{"b":[{"d":2}]}})");
  RemoveAtPath(body, "a.b[5].d");
  RemoveAtPath(body, "x.y");
  EXPECT_EQ(json::serialize(body), R"({"a":{"b":[{"d":2}]}})");
}

}  // namespace
}  // namespace atg::iac
