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

TEST(UsesRuleTest, RealVirtualMachineUsesNicAndOsDisk) {
  ArmBody r = Prepare(LoadBody(std::string(kRec) + "Microsoft_Compute_virtualMachines__get.json"));
  GraphFragment f;
  UsesRule(r, &f);
  const std::string rg =
      "/subscriptions/ec0aa5f7-9e78-40c9-85cd-535c6305b380/resourcegroups/rg3248/providers/";
  EXPECT_TRUE(
      HasEdge(f, r.key, rg + "microsoft.network/networkinterfaces/nicvm1300ef1856384", "USES"));
  EXPECT_TRUE(HasEdge(
      f, r.key, rg + "microsoft.compute/disks/vm1300_osdisk_1_af47f2e7915e4f91abac0d5a40feb1ed",
      "USES"));
  EXPECT_EQ(f.edges.size(), 2u);
}

TEST(UsesRuleTest, SpecVirtualMachineUsesDataDisks) {
  ArmBody r =
      Prepare(LoadBody("rest-api-specs-examples/compute/2021-07-01/GetVirtualMachine.json"));
  GraphFragment f;
  UsesRule(r, &f);
  EXPECT_TRUE(HasEdge(f, r.key,
                      "/subscriptions/{subscription-id}/resourcegroups/myresourcegroup/providers/"
                      "microsoft.compute/disks/mydatadisk1",
                      "USES"));
  EXPECT_EQ(CountEdges(f, "USES"), 4u);  // OS disk, two data disks, one NIC
}

TEST(UsesRuleTest, OtherTypesUseNothing) {
  ArmBody r =
      Prepare(LoadBody(std::string(kRec) + "Microsoft_Network_networkInterfaces__get.json"));
  GraphFragment f;
  UsesRule(r, &f);
  EXPECT_TRUE(f.edges.empty());
}

}  // namespace
}  // namespace atg::graph
