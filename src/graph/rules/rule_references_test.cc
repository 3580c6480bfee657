#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <set>

#include "common/strings.h"
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
constexpr char kNet[] = "rest-api-specs-examples/network/2021-05-01/";

TEST(ReferencesRuleTest, EveryForeignIdOfARealNicOnceWithoutOwnSubObjects) {
  json::object body = LoadBody(std::string(kRec) + "Microsoft_Network_networkInterfaces__get.json");
  ArmBody r = Prepare(body);
  GraphFragment f;
  ReferencesRule(r, &f);
  const std::string rg =
      "/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380/resourcegroups/rgneml9e606299/"
      "providers/";
  EXPECT_TRUE(HasEdge(f, r.key,
                      rg + "microsoft.network/virtualnetworks/vnet2a147773d97153/subnets/front-end",
                      "REFERENCES"));
  EXPECT_TRUE(HasEdge(f, r.key,
                      rg + "microsoft.network/loadbalancers/intlb1-ce584496a/backendaddresspools/"
                           "intlb1-ce584496a-bap1",
                      "REFERENCES"));
  std::set<std::string> targets;
  for (const auto& e : f.edges) {
    EXPECT_EQ(e.type, "REFERENCES");
    EXPECT_EQ(e.from, r.key);
    EXPECT_FALSE(e.to.starts_with(r.key)) << "own sub-object " << e.to;
    EXPECT_TRUE(targets.insert(e.to).second) << "duplicate " << e.to;
  }
  // Collected independently: every id in the body except the NIC's own and its sub-objects.
  std::vector<std::string> all;
  CollectArmIds(json::value(body), &all);
  std::set<std::string> expected;
  for (const auto& id : all) {
    if (id != r.key && !id.starts_with(r.key + "/")) expected.insert(id);
  }
  EXPECT_EQ(targets, expected);
  EXPECT_GE(targets.size(), 5u);
}

TEST(ReferencesRuleTest, EdgesCarryTheJsonPathOfTheReference) {
  ArmBody r =
      Prepare(LoadBody(std::string(kRec) + "Microsoft_Network_networkInterfaces__get.json"));
  GraphFragment f;
  ReferencesRule(r, &f);
  std::map<std::string, std::string> path_of;
  for (const auto& e : f.edges) {
    auto props = ParseJson(e.properties);
    ASSERT_TRUE(props.ok());
    path_of[e.to] = std::string(props->at("path").as_string());
  }
  EXPECT_EQ(path_of["/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380/resourcegroups/"
                    "rgneml9e606299/providers/microsoft.network/virtualnetworks/"
                    "vnet2a147773d97153/subnets/front-end"],
            "properties.ipConfigurations[0].properties.subnet.id");
  ArmBody aci = Prepare(
      LoadBody(std::string(kRec) + "Microsoft_ContainerInstance_containerGroups__get.json"));
  GraphFragment g;
  ReferencesRule(aci, &g);
  bool keyed = false;
  for (const auto& e : g.edges) {
    keyed |= e.properties.find("identity.userAssignedIdentities[") != std::string::npos;
  }
  EXPECT_TRUE(keyed);
}

TEST(ReferencesRuleTest, UserAssignedIdentityKeysAreReferences) {
  json::object body =
      LoadBody(std::string(kRec) + "Microsoft_ContainerInstance_containerGroups__get.json");
  ArmBody r = Prepare(body);
  GraphFragment f;
  ReferencesRule(r, &f);
  EXPECT_TRUE(HasEdge(f, r.key,
                      "/subscriptions/1c638cf4-608f-4ee6-b680-c329e824c3a8/resourcegroups/"
                      "rgaci8495/providers/microsoft.managedidentity/userassignedidentities/"
                      "msi-id4801",
                      "REFERENCES"));
}

TEST(ReferencesRuleTest, VnetInlineSubnetsAreNotReferences) {
  ArmBody r = Prepare(LoadBody(std::string(kRec) + "Microsoft_Network_virtualNetworks__get.json"));
  GraphFragment f;
  ReferencesRule(r, &f);
  for (const auto& e : f.edges) EXPECT_FALSE(e.to.starts_with(r.key + "/")) << e.to;
  // The peering's remote network is a real dependency.
  EXPECT_TRUE(HasEdge(f, r.key,
                      "/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380/resourcegroups/"
                      "rg2ab68748cb/providers/microsoft.network/virtualnetworks/net5dc95088eb",
                      "REFERENCES"));
}

TEST(ReferencesRuleTest, MisspelledIdsInSpecExampleAreIgnored) {
  // The example's networkInterfaces[0].id says "provders": not an ARM id.
  ArmBody r = Prepare(LoadBody(std::string(kNet) + "PrivateEndpointGet.json"));
  GraphFragment f;
  ReferencesRule(r, &f);
  EXPECT_EQ(f.edges.size(), 2u);  // the private link service and the subnet
}

}  // namespace
}  // namespace atg::graph
