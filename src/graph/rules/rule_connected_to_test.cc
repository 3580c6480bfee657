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

TEST(ConnectedToRuleTest, NicToSubnet) {
  ArmBody r =
      Prepare(LoadBody(std::string(kRec) + "Microsoft_Network_networkInterfaces__get.json"));
  GraphFragment f;
  ConnectedToRule(r, &f);
  ASSERT_EQ(f.edges.size(), 1u);
  EXPECT_TRUE(HasEdge(f, r.key,
                      "/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380/resourcegroups/"
                      "rgneml9e606299/providers/microsoft.network/virtualnetworks/"
                      "vnet2a147773d97153/subnets/front-end",
                      "CONNECTED_TO"));
}

TEST(ConnectedToRuleTest, PrivateEndpointToTargetAndSubnet) {
  ArmBody r = Prepare(LoadBody(std::string(kRec) + "Microsoft_Network_privateEndpoints__get.json"));
  GraphFragment f;
  ConnectedToRule(r, &f);
  EXPECT_TRUE(HasEdge(f, r.key,
                      "/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380/resourcegroups/"
                      "cosmosdbrg79e743118c/providers/microsoft.documentdb/databaseaccounts/"
                      "cosmosdbec067535aef",
                      "CONNECTED_TO"));
  EXPECT_TRUE(HasEdge(f, r.key,
                      "/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380/resourcegroups/"
                      "cosmosdbrg79e743118c/providers/microsoft.network/virtualnetworks/"
                      "network68e41926d21/subnets/subnetcbf89844fe2b",
                      "CONNECTED_TO"));
  EXPECT_EQ(f.edges.size(), 2u);
}

TEST(ConnectedToRuleTest, PeeringChildConnectsItsVnetToTheRemote) {
  ArmBody r = Prepare(LoadBody(
      std::string(kRec) + "Microsoft_Network_virtualNetworks_virtualNetworkPeerings__get.json"));
  GraphFragment f;
  ConnectedToRule(r, &f);
  const std::string rg =
      "/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380/resourcegroups/rg2ab68748cb/providers/"
      "microsoft.network/virtualnetworks/";
  ASSERT_EQ(f.edges.size(), 1u);
  EXPECT_TRUE(HasEdge(f, rg + "net5dc95088eb", rg + "net7d137100cd", "CONNECTED_TO"));
}

TEST(ConnectedToRuleTest, VnetInlinePeering) {
  ArmBody r = Prepare(LoadBody(std::string(kRec) + "Microsoft_Network_virtualNetworks__get.json"));
  GraphFragment f;
  ConnectedToRule(r, &f);
  const std::string rg =
      "/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380/resourcegroups/rg2ab68748cb/providers/"
      "microsoft.network/virtualnetworks/";
  EXPECT_TRUE(HasEdge(f, rg + "net7d137100cd", rg + "net5dc95088eb", "CONNECTED_TO"));
}

}  // namespace
}  // namespace atg::graph
