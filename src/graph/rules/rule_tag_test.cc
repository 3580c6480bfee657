#include <gtest/gtest.h>

#include <deque>

#include "graph/rules/rules.h"
#include "graph/testing/fixtures.h"

namespace atg::graph {
namespace {

using testing::CountEdges;
using testing::HasEdge;
using testing::LoadBody;

// Keeps each body alive for the test binary's lifetime: an ArmBody points into its body.
ArmBody Prepare(json::object body) {
  static std::deque<json::object> alive;
  alive.push_back(std::move(body));
  auto r = ArmBody::From(alive.back());
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r.value()) : ArmBody{};
}

constexpr char kRec[] = "sdk-recordings/azure-libraries-for-net/";

TEST(TagRuleTest, TagsBecomeTagNodes) {
  ArmBody r =
      Prepare(LoadBody(std::string(kRec) + "Microsoft_ContainerService_managedClusters__get.json"));
  GraphFragment f;
  TagRule(r, &f);
  ASSERT_EQ(f.edges.size(), 2u);
  ASSERT_EQ(f.nodes.size(), 2u);
  EXPECT_TRUE(HasEdge(f, r.key, "/tags/tag2=value2", "TAGGED_WITH"));
  EXPECT_TRUE(HasEdge(f, r.key, "/tags/tag3=value3", "TAGGED_WITH"));
  EXPECT_EQ(f.nodes[0].label, "Tag");
  EXPECT_EQ(f.nodes[0].name, "tag2=value2");
}

TEST(TagRuleTest, KeysAreLowerCasedAndSlashesKept) {
  ArmBody r = Prepare(LoadBody(std::string(kRec) + "Microsoft_Web_sites_config__get.json"));
  GraphFragment f;
  TagRule(r, &f);
  EXPECT_TRUE(HasEdge(f, r.key, "/tags/packageupdatedate=07/17/2018", "TAGGED_WITH"));
}

TEST(TagRuleTest, EmptyOrNonObjectTagsGiveNothing) {
  // ComponentsGet has "tags": "" in the spec example.
  ArmBody r = Prepare(
      LoadBody("rest-api-specs-examples/applicationinsights/2020-02-02/ComponentsGet.json"));
  GraphFragment f;
  TagRule(r, &f);
  EXPECT_TRUE(f.edges.empty());
  ArmBody vm = Prepare(LoadBody(std::string(kRec) + "Microsoft_Compute_virtualMachines__get.json"));
  TagRule(vm, &f);  // "tags": {}
  EXPECT_TRUE(f.edges.empty());
}

}  // namespace
}  // namespace atg::graph
