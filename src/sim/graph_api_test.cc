#include "sim/graph_api.h"

#include <gtest/gtest.h>

#include <set>

#include "common/strings.h"
#include "sim/api_testing.h"

namespace atg::sim {
namespace {

using namespace api_testing;  // NOLINT: shared test fixtures

class GraphApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { index_ = new TenantIndex(MakeTestTenant()); }
  static void TearDownTestSuite() { delete index_; }
  static ApiOptions Options() {
    ApiOptions o;
    o.graph_base_url = kGraphBase;
    return o;
  }
  net::HttpResponse Get(const std::string& target) {
    return api_.Handle(MakeRequest("GET", target), caller_);
  }
  // Follows @odata.nextLink to the end.
  std::vector<json::object> Walk(std::string target, size_t max_page, int* pages = nullptr) {
    std::vector<json::object> out;
    int n = 0;
    while (true) {
      auto r = Get(target);
      EXPECT_EQ(r.status, 200) << target << ": " << r.body;
      if (r.status != 200) break;
      auto v = Body(r);
      const auto* value = FindArray(v.if_object(), "value");
      EXPECT_NE(value, nullptr);
      if (value == nullptr) break;
      EXPECT_NE(FindString(v.if_object(), "@odata.context"), std::nullopt);
      EXPECT_LE(value->size(), max_page);
      for (const auto& o : *value) out.push_back(o.get_object());
      ++n;
      auto next = FindString(v.if_object(), "@odata.nextLink");
      if (!next) break;
      EXPECT_TRUE(next->starts_with(std::string(kGraphBase) + "/v1.0/")) << *next;
      target = TargetOf(*next, kGraphBase);
      if (n > 100) {
        ADD_FAILURE() << "too many pages";
        break;
      }
    }
    if (pages != nullptr) *pages = n;
    return out;
  }
  static std::vector<std::string> Ids(const std::vector<json::object>& objs) {
    std::vector<std::string> out;
    for (const auto& o : objs) out.emplace_back(*FindString(&o, "id"));
    return out;
  }

  static TenantIndex* index_;
  GraphApi api_{*index_, Options()};
  CallerContext caller_{"99999999-0000-4000-8000-000000000009", kTenantId};
};
TenantIndex* GraphApiTest::index_ = nullptr;

TEST_F(GraphApiTest, Claims) {
  EXPECT_TRUE(GraphApi::Claims("/v1.0/users"));
  EXPECT_TRUE(GraphApi::Claims("/V1.0/$batch"));
  EXPECT_FALSE(GraphApi::Claims("/beta/users"));
  EXPECT_FALSE(GraphApi::Claims("/subscriptions"));
}

TEST_F(GraphApiTest, UsersPageToTheEnd) {
  int pages = 0;
  auto users = Walk("/v1.0/users", GraphApi::kDefaultPageSize, &pages);
  EXPECT_EQ(users.size(), static_cast<size_t>(kUsers));
  EXPECT_EQ(pages, (kUsers + 99) / 100);
  auto ids = Ids(users);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_EQ(ids[0], UserId(0));
  EXPECT_EQ(ids.back(), UserId(kUsers - 1));
  // Unchanged bodies, no @odata.type on a typed collection.
  EXPECT_EQ(*FindString(&users[5], "userPrincipalName"), "user0005@contoso.example");
  EXPECT_EQ(users[5].count("@odata.type"), 0u);
  auto big = Walk("/v1.0/users?$top=999", 999, &pages);
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(Ids(big), ids);
  auto r = Get("/v1.0/users");
  EXPECT_EQ(*FindString(Body(r).if_object(), "@odata.context"),
            std::string(kGraphBase) + "/v1.0/$metadata#users");
}

TEST_F(GraphApiTest, TopLimits) {
  for (const char* bad : {"1000", "0", "-1", "abc", ""}) {
    auto r = Get(std::string("/v1.0/users?$top=") + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(ErrorCode(r), "Request_BadRequest");
    auto body = Body(r);
    const auto* inner = FindObject(FindObject(body.if_object(), "error"), "innerError");
    ASSERT_NE(inner, nullptr);
    EXPECT_TRUE(FindString(inner, "request-id").has_value());
    EXPECT_TRUE(FindString(inner, "date").has_value());
  }
  EXPECT_EQ(Walk("/v1.0/groups?$top=1", 1).size(), 4u);
}

TEST_F(GraphApiTest, Select) {
  auto users = Walk("/v1.0/users?$select=displayName&$top=500", 500);
  ASSERT_EQ(users.size(), static_cast<size_t>(kUsers));
  for (const auto& u : users) {
    EXPECT_EQ(u.size(), 2u);
    EXPECT_TRUE(u.contains("id"));
    EXPECT_TRUE(u.contains("displayName"));
  }
  auto r = Get("/v1.0/users?$select=id,userPrincipalName,nosuch");
  auto body = Body(r);
  EXPECT_EQ(*FindString(body.if_object(), "@odata.context"),
            std::string(kGraphBase) + "/v1.0/$metadata#users(id,userPrincipalName,nosuch)");
  const auto& first = FindArray(body.if_object(), "value")->at(0).get_object();
  EXPECT_EQ(first.size(), 3u);
  EXPECT_TRUE(first.at("nosuch").is_null());
  r = Get("/v1.0/users/" + UserId(7) + "?$select=displayName");
  ASSERT_EQ(r.status, 200);
  body = Body(r);
  EXPECT_EQ(*FindString(body.if_object(), "displayName"), "User 7");
  EXPECT_EQ(*FindString(body.if_object(), "id"), UserId(7));
  EXPECT_FALSE(body.as_object().contains("userPrincipalName"));
}

TEST_F(GraphApiTest, SingleObjects) {
  auto r = Get("/v1.0/users/" + ToLower(UserId(3)));
  ASSERT_EQ(r.status, 200);
  auto body = Body(r);
  EXPECT_EQ(*FindString(body.if_object(), "id"), UserId(3));
  EXPECT_EQ(*FindString(body.if_object(), "@odata.context"),
            std::string(kGraphBase) + "/v1.0/$metadata#users/$entity");
  r = Get("/v1.0/groups/" + GroupId(0));
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(Body(r).as_object().contains("members"));  // the tenant's list is not a property
  EXPECT_EQ(Get("/v1.0/servicePrincipals/" + SpId(1)).status, 200);
  r = Get("/v1.0/users/USER0042@contoso.example");  // by userPrincipalName
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(*FindString(Body(r).if_object(), "id"), UserId(42));
  r = Get("/v1.0/users/" + GroupId(0));  // a group is not a user
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "Request_ResourceNotFound");
  r = Get("/v1.0/groups/00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(ErrorMessage(r).find("00000000-0000-4000-8000-000000000000"), std::string::npos);
  EXPECT_EQ(Get("/v1.0/applications").status, 400);
  EXPECT_EQ(Get("/v1.0/users/" + UserId(3) + "/memberOf").status, 400);
}

TEST_F(GraphApiTest, MembersAndTransitiveMembers) {
  auto members = Walk("/v1.0/groups/" + GroupId(0) + "/members", 100);
  EXPECT_EQ(Ids(members), (std::vector<std::string>{UserId(0), GroupId(1), SpId(0)}));
  EXPECT_EQ(*FindString(&members[0], "@odata.type"), "#microsoft.graph.user");
  EXPECT_EQ(*FindString(&members[1], "@odata.type"), "#microsoft.graph.group");
  EXPECT_EQ(*FindString(&members[2], "@odata.type"), "#microsoft.graph.servicePrincipal");
  EXPECT_EQ(*FindString(&members[0], "displayName"), "User 0");
  auto r = Get("/v1.0/groups/" + GroupId(0) + "/members");
  EXPECT_EQ(*FindString(Body(r).if_object(), "@odata.context"),
            std::string(kGraphBase) + "/v1.0/$metadata#directoryObjects");

  // g0 -> {u0, g1, sp0}; g1 -> {u1, u2, g2}; g2 -> {u0, g0}: nested, with a repeat and a cycle.
  auto transitive = Walk("/v1.0/groups/" + GroupId(0) + "/transitiveMembers", 100);
  auto ids = Ids(transitive);
  EXPECT_EQ(
      std::set<std::string>(ids.begin(), ids.end()),
      (std::set<std::string>{UserId(0), GroupId(1), SpId(0), UserId(1), UserId(2), GroupId(2)}));
  EXPECT_EQ(ids.size(), 6u);
  auto sel = Walk("/v1.0/groups/" + GroupId(1) + "/transitiveMembers?$select=id&$top=2", 2);
  ASSERT_EQ(sel.size(), 6u);  // u1, u2, g2, then via g2: u0, g0, then via g0: sp0 (never g1)
  for (const auto& o : sel) {
    EXPECT_EQ(o.size(), 2u);  // id + @odata.type
    EXPECT_TRUE(o.contains("@odata.type"));
  }
  EXPECT_EQ(Get("/v1.0/groups/" + UserId(1) + "/members").status, 404);
  // Type casts keep only one kind of member.
  auto users = Walk("/v1.0/groups/" + GroupId(0) + "/transitiveMembers/microsoft.graph.user", 100);
  auto user_ids = Ids(users);
  EXPECT_EQ(user_ids.size(), 3u);  // u0, u1, u2 (u0 reached twice, listed once)
  EXPECT_EQ(std::set<std::string>(user_ids.begin(), user_ids.end()).size(), 3u);
  auto groups = Walk("/v1.0/groups/" + GroupId(0) + "/members/microsoft.graph.group", 100);
  EXPECT_EQ(Ids(groups), std::vector<std::string>{GroupId(1)});
  EXPECT_EQ(Get("/v1.0/groups/" + GroupId(0) + "/members/microsoft.graph.device").status, 400);
}

TEST_F(GraphApiTest, ExpandMembersIsCappedAtTwenty) {
  auto groups = Walk("/v1.0/groups?$expand=members($select=id)&$select=id,displayName", 100);
  ASSERT_EQ(groups.size(), 4u);
  const auto* g3 = FindArray(&groups[3], "members");
  ASSERT_NE(g3, nullptr);
  EXPECT_EQ(g3->size(), GraphApi::kMaxExpandedMembers);
  const auto& m = g3->at(0).get_object();
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(*FindString(&m, "@odata.type"), "#microsoft.graph.user");
  EXPECT_EQ(*FindString(&m, "id"), UserId(100));
  EXPECT_EQ(FindArray(&groups[0], "members")->size(), 3u);
  EXPECT_EQ(*FindString(&groups[0], "displayName"), "Group 0");
  EXPECT_EQ(groups[0].size(), 3u);  // id, displayName, members
  auto full = Walk("/v1.0/groups?$expand=members", 100);
  EXPECT_TRUE(FindArray(&full[0], "members")->at(0).as_object().contains("userPrincipalName"));
  EXPECT_EQ(Get("/v1.0/users?$expand=members").status, 400);
  EXPECT_EQ(Get("/v1.0/groups?$expand=owners").status, 400);
}

TEST_F(GraphApiTest, Filter) {
  auto sps =
      Walk("/v1.0/servicePrincipals?$filter=servicePrincipalType%20eq%20'ManagedIdentity'", 100);
  EXPECT_EQ(Ids(sps), std::vector<std::string>{SpId(1)});
  EXPECT_EQ(Walk("/v1.0/servicePrincipals", 100).size(), 2u);
  auto r = Get("/v1.0/users?$filter=startswith(displayName,'a')");
  EXPECT_EQ(r.status, 400);
  r = Get("/v1.0/users?$orderby=displayName");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "Request_UnsupportedQuery");
}

TEST_F(GraphApiTest, Batch) {
  json::array requests;
  requests.push_back(json::object{{"id", "1"}, {"method", "GET"}, {"url", "/users?$top=2"}});
  requests.push_back(json::object{
      {"id", "2"}, {"method", "GET"}, {"url", "/groups/" + GroupId(1) + "/members?$select=id"}});
  requests.push_back(json::object{{"id", "3"}, {"method", "GET"}, {"url", "/users/nope"}});
  requests.push_back(
      json::object{{"id", "4"}, {"method", "GET"}, {"url", "/v1.0/users?$top=5000"}});
  requests.push_back(json::object{{"id", "5"}, {"method", "PATCH"}, {"url", "/users/x"}});
  auto r = api_.Handle(
      MakeRequest("POST", "/v1.0/$batch", json::serialize(json::object{{"requests", requests}})),
      caller_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  const auto* responses = FindArray(body.if_object(), "responses");
  ASSERT_NE(responses, nullptr);
  ASSERT_EQ(responses->size(), 5u);
  auto status = [&](size_t i) { return *FindInt(responses->at(i).if_object(), "status"); };
  EXPECT_EQ(status(0), 200);
  EXPECT_EQ(status(1), 200);
  EXPECT_EQ(status(2), 404);
  EXPECT_EQ(status(3), 400);
  EXPECT_EQ(status(4), 405);
  const auto* b0 = FindObject(responses->at(0).if_object(), "body");
  EXPECT_EQ(FindArray(b0, "value")->size(), 2u);
  EXPECT_TRUE(FindString(b0, "@odata.nextLink").has_value());
  const auto* b1 = FindObject(responses->at(1).if_object(), "body");
  EXPECT_EQ(FindArray(b1, "value")->size(), 3u);
  EXPECT_EQ(*FindString(responses->at(0).if_object(), "id"), "1");

  json::array many;
  for (int i = 0; i < 21; ++i) {
    many.push_back(
        json::object{{"id", std::to_string(i)}, {"method", "GET"}, {"url", "/users?$top=1"}});
  }
  r = api_.Handle(
      MakeRequest("POST", "/v1.0/$batch", json::serialize(json::object{{"requests", many}})),
      caller_);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "Request_BadRequest");
  r = api_.Handle(MakeRequest("POST", "/v1.0/$batch", "{}"), caller_);
  EXPECT_EQ(r.status, 400);
  requests.push_back(json::object{{"id", "1"}, {"method", "GET"}, {"url", "/users"}});
  r = api_.Handle(
      MakeRequest("POST", "/v1.0/$batch", json::serialize(json::object{{"requests", requests}})),
      caller_);
  EXPECT_EQ(r.status, 400);  // duplicate id
  EXPECT_EQ(api_.Handle(MakeRequest("GET", "/v1.0/$batch"), caller_).status, 405);
  EXPECT_EQ(api_.Handle(MakeRequest("DELETE", "/v1.0/users"), caller_).status, 405);
}

TEST_F(GraphApiTest, SkipTokenIsBoundToItsQuery) {
  auto r = Get("/v1.0/users?$top=5");
  std::string next(*FindString(Body(r).if_object(), "@odata.nextLink"));
  std::string token = next.substr(next.find("$skiptoken="));
  EXPECT_EQ(Get("/v1.0/groups?" + token).status, 400);
  EXPECT_EQ(Get("/v1.0/users?$top=5&$select=id&" + token).status, 400);
  EXPECT_EQ(Get("/v1.0/users?$top=5&" + token).status, 200);
}

}  // namespace
}  // namespace atg::sim
