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
constexpr char kNet[] = "rest-api-specs-examples/network/2021-05-01/";

TEST(SecuredByRuleTest, NicToNsg) {
  ArmBody r = Prepare(LoadBody(std::string(kNet) + "NetworkInterfaceGet.json"));
  GraphFragment f;
  SecuredByRule(r, &f);
  ASSERT_EQ(f.edges.size(), 1u);
  EXPECT_TRUE(HasEdge(f, r.key,
                      "/subscriptions/subid/resourcegroups/rg1/providers/microsoft.network/"
                      "networksecuritygroups/nsg",
                      "SECURED_BY"));
}

TEST(SecuredByRuleTest, SubnetToNsg) {
  // A subnet exactly as ARM inlines it in a real VNet list response.
  const json::object* found = nullptr;
  json::value list =
      testing::LoadFixture(std::string(kRec) + "Microsoft_Network_virtualNetworks__list.json");
  for (const auto& v : list.at("value").as_array()) {
    for (const auto& s : v.at("properties").as_object().at("subnets").as_array()) {
      if (s.at("properties").as_object().contains("networkSecurityGroup")) {
        found = &s.as_object();
        break;
      }
    }
    if (found) break;
  }
  ASSERT_NE(found, nullptr);
  json::object subnet = *found;
  subnet["type"] = "Microsoft.Network/virtualNetworks/subnets";  // as ARM returns for GET subnet
  ArmBody r = Prepare(subnet);
  GraphFragment f;
  SecuredByRule(r, &f);
  EXPECT_TRUE(HasEdge(f, r.key,
                      "/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380/resourcegroups/"
                      "rgnemvd7b99041c592a/providers/microsoft.network/networksecuritygroups/"
                      "frontendnsg",
                      "SECURED_BY"));
}

TEST(SecuredByRuleTest, NsgItselfHasNoSecuredByEdge) {
  ArmBody r =
      Prepare(LoadBody(std::string(kRec) + "Microsoft_Network_networkSecurityGroups__get.json"));
  GraphFragment f;
  SecuredByRule(r, &f);
  EXPECT_TRUE(f.edges.empty());
}

}  // namespace
}  // namespace atg::graph
