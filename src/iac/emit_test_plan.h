// A small hand-made Plan for the emitter unit tests: two resource groups, a child resource, a
// cross-group reference, a reference with a suffix, an id used as an object key, an extension
// resource, a secret and a plain input, and literals that need escaping in each language.
#ifndef ATG_IAC_EMIT_TEST_PLAN_H_
#define ATG_IAC_EMIT_TEST_PLAN_H_

#include <string>

#include "iac/plan.h"
#include "iac/plan_address.h"

namespace atg::iac::testing {

inline constexpr const char* kSub = "00000000-0000-0000-0000-000000000001";

inline PlannedResource MakeResource(const std::string& id, const std::string& type,
                                    const std::string& api, const std::string& rg,
                                    const std::string& symbol, const std::string& location) {
  PlannedResource r;
  r.id = id;
  r.source_id = id;
  r.key = id;
  for (char& c : r.key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  r.type = type;
  r.api_version = api;
  r.name = id.substr(id.rfind('/') + 1);
  r.subscription_id = kSub;
  r.resource_group = rg;
  r.location = location;
  r.symbol = symbol;
  return r;
}

inline std::string RgId(const std::string& rg) {
  return std::string("/subscriptions/") + kSub + "/resourceGroups/" + rg;
}

// Indexes: 0 rg-net, 1 rg-app, 2 vnet, 3 subnet, 4 identity, 5 nic, 6 vm, 7 role assignment.
inline Plan MakeTestPlan() {
  Plan p;
  p.source_tenant_id = p.target_tenant_id = "tenant";
  PlannedResource rg_net = MakeResource(RgId("rg-net"), "Microsoft.Resources/resourceGroups",
                                        "2022-09-01", "", "rg_net", "westeurope");
  rg_net.is_resource_group = true;
  rg_net.body["tags"] = json::object{{"env", "[prod]"}};
  PlannedResource rg_app = MakeResource(RgId("rg-app"), "Microsoft.Resources/resourceGroups",
                                        "2022-09-01", "", "rg_app", "westeurope");
  rg_app.is_resource_group = true;

  const std::string vnet_id = RgId("rg-net") + "/providers/Microsoft.Network/virtualNetworks/vnet1";
  PlannedResource vnet = MakeResource(vnet_id, "Microsoft.Network/virtualNetworks", "2024-07-01",
                                      "rg-net", "vnet_vnet1", "westeurope");
  vnet.arm_name = "vnet1";
  vnet.body["properties"] =
      json::object{{"addressSpace", json::object{{"addressPrefixes", json::array{"10.0.0.0/16"}}}}};
  vnet.body["tags"] = json::object{{"note", "it's ${not} [an] expression"}, {"b", "[x]"}};
  vnet.depends_on = {0};

  PlannedResource subnet =
      MakeResource(vnet_id + "/subnets/default", "Microsoft.Network/virtualNetworks/subnets",
                   "2024-07-01", "rg-net", "subnet_vnet1_default", "");
  subnet.arm_name = "vnet1/default";
  subnet.parent = 2;
  subnet.body["properties"] = json::object{{"addressPrefix", "10.0.0.0/24"}};
  subnet.depends_on = {0, 2};

  const std::string uami_id =
      RgId("rg-app") + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";
  PlannedResource uami = MakeResource(uami_id, "Microsoft.ManagedIdentity/userAssignedIdentities",
                                      "2023-01-31", "rg-app", "identity_id1", "westeurope");
  uami.depends_on = {1};

  const std::string nic_id = RgId("rg-app") + "/providers/Microsoft.Network/networkInterfaces/nic1";
  PlannedResource nic = MakeResource(nic_id, "Microsoft.Network/networkInterfaces", "2024-07-01",
                                     "rg-app", "nic_nic1", "westeurope");
  nic.body["properties"] = json::object{
      {"ipConfigurations",
       json::array{json::object{
           {"name", "ipconfig1"},
           {"properties",
            json::object{
                {"subnet", json::object{{"id", vnet_id + "/subnets/default"}}},
                {"loadBalancerBackendAddressPools",
                 json::array{json::object{{"id", vnet_id + "/backendAddressPools/pool1"}}}}}}}}}};
  nic.references = {
      {"properties.ipConfigurations[0].properties.loadBalancerBackendAddressPools[0].id", 2,
       "/backendAddressPools/pool1"},
      {"properties.ipConfigurations[0].properties.subnet.id", 3, ""}};
  nic.depends_on = {1, 2, 3};

  const std::string vm_id = RgId("rg-app") + "/providers/Microsoft.Compute/virtualMachines/vm1";
  PlannedResource vm = MakeResource(vm_id, "Microsoft.Compute/virtualMachines", "2024-07-01",
                                    "rg-app", "vm_vm1", "westeurope");
  vm.body["identity"] =
      json::object{{"type", "UserAssigned"},
                   {"userAssignedIdentities", json::object{{uami_id, json::object()}}}};
  vm.body["properties"] = json::object{
      {"osProfile", json::object{{"computerName", "vm1"}, {"adminUsername", "azureuser"}}},
      {"networkProfile",
       json::object{{"networkInterfaces", json::array{json::object{{"id", nic_id}}}}}}};
  vm.references = {{"identity.userAssignedIdentities[\"" + uami_id + "\"]", 4, ""},
                   {"properties.networkProfile.networkInterfaces[0].id", 5, ""}};
  vm.depends_on = {1, 4, 5};

  PlannedResource ra = MakeResource(
      vm_id +
          "/providers/Microsoft.Authorization/roleAssignments/11111111-2222-3333-4444-555555555555",
      "Microsoft.Authorization/roleAssignments", "2022-04-01", "rg-app", "role_assignment_vm1", "");
  ra.scope = 6;
  ra.body["properties"] =
      json::object{{"roleDefinitionId", std::string("/subscriptions/") + kSub +
                                            "/providers/Microsoft.Authorization/roleDefinitions/"
                                            "acdd72a7-3385-48ef-bd42-f606fba81ae7"},
                   {"principalType", "ServicePrincipal"}};
  ra.depends_on = {1, 6};

  p.resources = {rg_net, rg_app, vnet, subnet, uami, nic, vm, ra};
  Input password;
  password.name = "vm_vm1_admin_password";
  password.description = "Admin password of VM vm1";
  password.secret = true;
  password.resource = 6;
  password.path = "properties.osProfile.adminPassword";
  Input principal;
  principal.name = "role_assignment_vm1_principal_id";
  principal.description = "Principal id for the role assignment on vm1";
  principal.secret = false;
  principal.resource = 7;
  principal.path = "properties.principalId";
  p.inputs = {principal, password};
  PlannedPrincipal user;
  user.key = "/users/u1";
  user.kind = "user";
  user.object_id = "u1";
  user.display_name = "Ada";
  user.symbol = "user_ada";
  p.principals = {user};
  for (PlannedResource& r : p.resources) DeriveAddress(&r);
  return p;
}

}  // namespace atg::iac::testing

#endif  // ATG_IAC_EMIT_TEST_PLAN_H_
