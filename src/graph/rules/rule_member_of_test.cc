#include <gtest/gtest.h>

#include "graph/rules/rules.h"
#include "graph/testing/fixtures.h"

namespace atg::graph {
namespace {

using testing::CountEdges;
using testing::HasEdge;
using testing::LoadBody;

json::object GroupWithMembers(json::array members) {
  json::object group = LoadBody("msgraph-docs/v1.0/group-get__example1.json");
  group["members"] = std::move(members);
  return group;
}

TEST(MemberOfRuleTest, MembersFromGraphListAreResolvedOrPlaceholders) {
  // Graph's /members body (no @odata.type in this documented example).
  json::value list = testing::LoadFixture("msgraph-docs/v1.0/group-list-members__example1.json");
  json::object group = GroupWithMembers(list.at("value").as_array());
  GraphFragment f;
  MemberOfRule(group, RuleContext{"t", {}}, &f);
  ASSERT_EQ(f.edges.size(), 1u);
  EXPECT_TRUE(HasEdge(f, "/directoryObjects/11111111-2222-3333-4444-555555555555",
                      "/groups/b320ee12-b1cd-4cca-b648-a437be61c5cd", "MEMBER_OF"));
  RuleContext ctx{"t",
                  [](std::string_view id) -> std::optional<std::string> { return UserKey(id); }};
  GraphFragment g;
  MemberOfRule(group, ctx, &g);
  EXPECT_TRUE(HasEdge(g, "/users/11111111-2222-3333-4444-555555555555",
                      "/groups/b320ee12-b1cd-4cca-b648-a437be61c5cd", "MEMBER_OF"));
}

TEST(MemberOfRuleTest, TypedMembersAndPlainIds) {
  json::object user = LoadBody("msgraph-docs/v1.0/user-get__example1.json");
  user["@odata.type"] = "#microsoft.graph.user";
  json::object sp = LoadBody("msgraph-docs/v1.0/serviceprincipal-get__example1.json");
  sp["@odata.type"] = "#microsoft.graph.servicePrincipal";
  json::array members{user, sp, "ABC-plain-id"};
  json::object group = GroupWithMembers(members);
  GraphFragment f;
  MemberOfRule(group, RuleContext{"t", {}}, &f);
  ASSERT_EQ(f.edges.size(), 3u);
  const std::string g = "/groups/b320ee12-b1cd-4cca-b648-a437be61c5cd";
  EXPECT_TRUE(HasEdge(f, UserKey(*FindString(&user, "id")), g, "MEMBER_OF"));
  EXPECT_TRUE(HasEdge(f, ServicePrincipalKey(*FindString(&sp, "id")), g, "MEMBER_OF"));
  EXPECT_TRUE(HasEdge(f, "/directoryObjects/abc-plain-id", g, "MEMBER_OF"));
}

TEST(MemberOfRuleTest, BuildDirectoryFragmentAddsNodeAndEdges) {
  json::object group = GroupWithMembers(json::array{"u1"});
  auto f = BuildDirectoryFragment(DirectoryKind::kGroup, group, RuleContext{"t", {}});
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->nodes.size(), 1u);
  EXPECT_EQ(f->nodes[0].label, "Group");
  EXPECT_EQ(f->edges.size(), 1u);
}

}  // namespace
}  // namespace atg::graph
