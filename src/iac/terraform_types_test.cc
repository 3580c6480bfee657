#include "iac/terraform_types.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "iac/terraform_areas.h"
#include "iac/terraform_test_plan.h"

namespace atg::iac {
namespace {

using testing::AddReference;
using testing::AddResource;

TEST(ParseBodyPath, MembersIndexesAndQuotedKeys) {
  std::vector<PathSegment> segs;
  ASSERT_TRUE(ParseBodyPath("properties.ipConfigurations[12].properties.subnet.id", &segs));
  ASSERT_EQ(segs.size(), 6u);
  EXPECT_EQ(segs[1].key, "ipConfigurations");
  EXPECT_TRUE(segs[2].is_index);
  EXPECT_EQ(segs[2].index, 12u);
  ASSERT_TRUE(ParseBodyPath(R"(identity.userAssignedIdentities["/subscriptions/a/b\"c"])", &segs));
  ASSERT_EQ(segs.size(), 3u);
  EXPECT_EQ(segs[2].key, "/subscriptions/a/b\"c");
  EXPECT_FALSE(ParseBodyPath("a..b", &segs));
  EXPECT_FALSE(ParseBodyPath("a[x]", &segs));
  EXPECT_FALSE(ParseBodyPath("", &segs));
}

TEST(TerraformTypeMappings, EveryAreaAddsRowsAndTheTableIsSortedAndUnique) {
  using AddRows = void (*)(std::vector<TypeMapping>*);
  size_t rows = 0;
  for (AddRows add :
       {terraform::AddResourcesMappings, terraform::AddNetworkMappings,
        terraform::AddComputeMappings, terraform::AddStorageMappings, terraform::AddWebMappings,
        terraform::AddSqlMappings, terraform::AddContainerMappings,
        terraform::AddMonitoringMappings, terraform::AddDataAndMessagingMappings}) {
    std::vector<TypeMapping> area;
    add(&area);
    EXPECT_FALSE(area.empty());
    for (const TypeMapping& m : area) {
      EXPECT_EQ(std::string(m.arm_type), ToLower(m.arm_type)) << "keys are lower-cased";
      EXPECT_NE(m.choose, nullptr);
      EXPECT_NE(m.render, nullptr);
    }
    rows += area.size();
  }
  const auto& table = TerraformTypeMappings();
  EXPECT_EQ(table.size(), rows);
  std::set<std::string> seen;
  for (size_t i = 0; i < table.size(); ++i) {
    EXPECT_TRUE(seen.insert(table[i].arm_type).second) << table[i].arm_type << " twice";
    if (i > 0) EXPECT_LT(std::string(table[i - 1].arm_type), std::string(table[i].arm_type));
  }
}

TEST(TerraformTypeMappings, CoverTheCommonTypesAndFindIgnoresCase) {
  EXPECT_GE(TerraformTypeMappings().size(), 30u);
  const TypeMapping* m = FindTerraformMapping("MICROSOFT.NETWORK/virtualNetworks");
  ASSERT_NE(m, nullptr);
  EXPECT_STREQ(m->terraform_types, "azurerm_virtual_network");
  EXPECT_EQ(FindTerraformMapping("Microsoft.Network/loadBalancers"), nullptr);
  EXPECT_EQ(FindTerraformMapping("Microsoft.Foo/bars"), nullptr);
}

// Builds the shared state the emitter would, with every resource mapped to azurerm.
MapShared SharedFor(const Plan& plan) {
  MapShared s;
  s.plan = &plan;
  s.resource_group_of.resize(plan.resources.size());
  s.inputs_of.resize(plan.resources.size());
  for (const Input& in : plan.inputs) s.inputs_of[in.resource].push_back(&in);
  for (size_t i = 0; i < plan.resources.size(); ++i) {
    const PlannedResource& r = plan.resources[i];
    const TypeMapping* m =
        FindTerraformMapping(r.is_resource_group ? "Microsoft.Resources/resourceGroups" : r.type);
    std::string why;
    MapShared tmp = s;
    tmp.addresses.resize(plan.resources.size());
    MapContext ctx(tmp, i);
    s.addresses.push_back(
        {m ? m->choose(ctx, &why) : "azapi_resource", r.symbol, m ? m->id_attribute : "id"});
    if (r.is_resource_group) {
      for (size_t j = 0; j < plan.resources.size(); ++j) {
        if (plan.resources[j].resource_group == r.name) s.resource_group_of[j] = i;
      }
    }
  }
  return s;
}

std::string Render(const MapShared& s, size_t i, std::vector<size_t>* used = nullptr) {
  MapContext ctx(s, i);
  std::string out;
  HclWriter w(&out);
  FindTerraformMapping(s.plan->resources[i].type)->render(ctx, w);
  if (used) *used = ctx.used_targets();
  return out + ctx.extra();
}

TEST(TerraformTypeMappings, SubnetReferencesItsNetworkGroupAndSecurityGroup) {
  Plan plan;
  size_t rg = AddResource(&plan, "Microsoft.Resources/resourceGroups", "rg1", "", "rg_rg1");
  size_t vnet =
      AddResource(&plan, "Microsoft.Network/virtualNetworks", "vnet1", "rg1", "vnet_vnet1",
                  R"({"properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]}}})");
  size_t nsg =
      AddResource(&plan, "Microsoft.Network/networkSecurityGroups", "nsg1", "rg1", "nsg_nsg1");
  size_t subnet = AddResource(&plan, "Microsoft.Network/virtualNetworks/subnets", "vnet1/snet",
                              "rg1", "subnet_snet",
                              R"({"properties":{"addressPrefix":"10.0.1.0/24",
          "networkSecurityGroup":{"id":"/subscriptions/x/nsg1"},
          "serviceEndpoints":[{"service":"Microsoft.Storage"}],
          "privateEndpointNetworkPolicies":"Disabled"}})");
  plan.resources[subnet].parent = vnet;
  AddReference(&plan, subnet, "properties.networkSecurityGroup.id", nsg);
  testing::AddDependency(&plan, subnet, vnet);
  testing::AddDependency(&plan, subnet, rg);
  MapShared s = SharedFor(plan);
  std::vector<size_t> used;
  const std::string out = Render(s, subnet, &used);
  EXPECT_NE(out.find("virtual_network_name = azurerm_virtual_network.vnet_vnet1.name"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("resource_group_name = azurerm_resource_group.rg_rg1.name"),
            std::string::npos);
  EXPECT_NE(out.find("address_prefixes = [\"10.0.1.0/24\"]"), std::string::npos);
  EXPECT_NE(out.find("service_endpoint {\n  service = \"Microsoft.Storage\"\n}"), std::string::npos)
      << out;
  EXPECT_NE(out.find("resource \"azurerm_subnet_network_security_group_association\" "
                     "\"subnet_snet\""),
            std::string::npos);
  EXPECT_NE(out.find("network_security_group_id = azurerm_network_security_group.nsg_nsg1.id"),
            std::string::npos);
  EXPECT_EQ(used, (std::vector<size_t>{rg, vnet, nsg}));
}

TEST(TerraformTypeMappings, WindowsVmNeedsItsPasswordInput) {
  Plan plan;
  const std::string body = R"({"properties":{"hardwareProfile":{"vmSize":"Standard_B2s"},
      "storageProfile":{"imageReference":{"publisher":"p","offer":"o","sku":"s","version":"latest"},
                        "osDisk":{"osType":"Windows","createOption":"FromImage"}},
      "osProfile":{"computerName":"vm1","adminUsername":"azureuser"},
      "networkProfile":{"networkInterfaces":[]}}})";
  size_t vm = AddResource(&plan, "Microsoft.Compute/virtualMachines", "vm1", "rg1", "vm_vm1", body);
  const TypeMapping* m = FindTerraformMapping(plan.resources[vm].type);
  {
    MapShared s = SharedFor(plan);
    MapContext ctx(s, vm);
    std::string why;
    EXPECT_EQ(m->choose(ctx, &why), "");
    EXPECT_NE(why.find("password"), std::string::npos);
  }
  plan.inputs.push_back({"vm_vm1_admin_password", "Admin password of vm1", true, vm,
                         "properties.osProfile.adminPassword"});
  MapShared s = SharedFor(plan);
  MapContext ctx(s, vm);
  std::string why;
  EXPECT_EQ(m->choose(ctx, &why), "azurerm_windows_virtual_machine");
  const std::string out = Render(s, vm);
  EXPECT_NE(out.find("admin_password = var.vm_vm1_admin_password"), std::string::npos) << out;
  EXPECT_NE(out.find("source_image_reference {"), std::string::npos);
}

}  // namespace
}  // namespace atg::iac
