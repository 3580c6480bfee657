#include <gtest/gtest.h>

#include <string>

#include "iac/emit.h"
#include "iac/emit_test_plan.h"

namespace atg::iac {
namespace {

const std::string& File(const Emitted& e, const std::string& path) {
  for (const auto& f : e.files) {
    if (f.path == path) return f.content;
  }
  ADD_FAILURE() << "no " << path;
  static const std::string empty;
  return empty;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(BicepEmitterTest, MainDeclaresGroupsParamsAndModules) {
  auto e = EmitBicep(testing::MakeTestPlan());
  ASSERT_TRUE(e.ok()) << e.status().message();
  ASSERT_EQ(e->files.size(), 3u);
  EXPECT_EQ(e->files[0].path, "main.bicep");
  EXPECT_EQ(e->files[1].path, "modules/rg-app.bicep");
  EXPECT_EQ(e->files[2].path, "modules/rg-net.bicep");
  const std::string& main = File(*e, "main.bicep");
  EXPECT_EQ(main.rfind("targetScope = 'subscription'\n", 0), 0u);
  EXPECT_TRUE(Has(main,
                  "@secure()\n@description('Admin password of VM vm1')\n"
                  "param vm_vm1_admin_password string\n"));
  EXPECT_TRUE(Has(main, "param role_assignment_vm1_principal_id string\n"));
  EXPECT_FALSE(Has(main, "@secure()\n@description('Principal id"));
  EXPECT_TRUE(Has(main,
                  "resource rg_net 'Microsoft.Resources/resourceGroups@2022-09-01' = {\n"
                  "  name: 'rg-net'\n  location: 'westeurope'\n  tags: {\n    env: '[prod]'\n"
                  "  }\n}\n"));
  EXPECT_TRUE(Has(main,
                  "module rg_app_module 'modules/rg-app.bicep' = {\n  name: 'rg-app'\n"
                  "  scope: rg_app\n  params: {\n"
                  "    role_assignment_vm1_principal_id: role_assignment_vm1_principal_id\n"
                  "    vm_vm1_admin_password: vm_vm1_admin_password\n  }\n"
                  "  dependsOn: [\n    rg_net_module\n  ]\n}\n"));
  EXPECT_TRUE(Has(main,
                  "module rg_net_module 'modules/rg-net.bicep' = {\n  name: 'rg-net'\n"
                  "  scope: rg_net\n}\n"));
  EXPECT_EQ(main.back(), '\n');
  EXPECT_NE(main.substr(main.size() - 2), "\n\n");
}

TEST(BicepEmitterTest, ExistingResourceGroupsAreScopesNotResources) {
  EmitOptions o;
  o.create_resource_groups = false;
  auto e = EmitBicep(testing::MakeTestPlan(), o);
  ASSERT_TRUE(e.ok()) << e.status().message();
  const std::string& main = File(*e, "main.bicep");
  EXPECT_FALSE(Has(main, "'Microsoft.Resources/resourceGroups@")) << main;
  EXPECT_TRUE(Has(main, "  scope: resourceGroup('rg-net')\n")) << main;
  bool noted = false;
  for (const auto& n : e->notes) noted = noted || Has(n, "do not create resource groups");
  EXPECT_TRUE(noted);
}

TEST(BicepEmitterTest, ModulesUseSymbolsParentScopeAndParams) {
  auto e = EmitBicep(testing::MakeTestPlan());
  ASSERT_TRUE(e.ok());
  const std::string& net = File(*e, "modules/rg-net.bicep");
  EXPECT_TRUE(Has(net,
                  "resource subnet_vnet1_default "
                  "'Microsoft.Network/virtualNetworks/subnets@2024-07-01' = {\n"
                  "  parent: vnet_vnet1\n  name: 'default'\n"));
  EXPECT_TRUE(Has(net, "note: 'it\\'s \\${not} [an] expression'\n"));
  EXPECT_FALSE(Has(net, "param "));

  const std::string& app = File(*e, "modules/rg-app.bicep");
  EXPECT_TRUE(Has(app,
                  "@secure()\n@description('Admin password of VM vm1')\n"
                  "param vm_vm1_admin_password string\n"));
  // Resources of another group are declared existing, scoped to their group.
  EXPECT_TRUE(Has(app,
                  "resource subnet_vnet1_default "
                  "'Microsoft.Network/virtualNetworks/subnets@2024-07-01' existing = {\n"
                  "  name: 'vnet1/default'\n  scope: resourceGroup('rg-net')\n}\n"));
  EXPECT_TRUE(Has(app, "id: subnet_vnet1_default.id\n"));
  EXPECT_TRUE(Has(app, "id: '${vnet_vnet1.id}/backendAddressPools/pool1'\n"));
  EXPECT_TRUE(Has(app, "'${identity_id1.id}': {}\n"));
  EXPECT_TRUE(Has(app, "adminPassword: vm_vm1_admin_password\n"));
  EXPECT_TRUE(Has(app, "id: nic_nic1.id\n"));
  EXPECT_TRUE(Has(app,
                  "resource role_assignment_vm1 "
                  "'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n"
                  "  name: '11111111-2222-3333-4444-555555555555'\n  scope: vm_vm1\n"));
  EXPECT_TRUE(Has(app, "principalId: role_assignment_vm1_principal_id\n"));
  // No literal ids remain where references were planned (the built-in role definition is not
  // a planned resource and stays literal).
  EXPECT_FALSE(Has(app, "/providers/Microsoft.Network/"));
  EXPECT_FALSE(Has(app, "/userAssignedIdentities/id1'"));
  EXPECT_TRUE(Has(app, "roleDefinitionId: '/subscriptions/"));
  EXPECT_FALSE(Has(app, "dependsOn"));  // all implied by references, parent and scope
}

TEST(BicepEmitterTest, ExplicitDependenciesAndEntraNotes) {
  Plan p = testing::MakeTestPlan();
  p.resources[7].depends_on.push_back(4);  // not implied by any reference
  auto e = EmitBicep(p);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(Has(File(*e, "modules/rg-app.bicep"), "  dependsOn: [\n    identity_id1\n  ]\n"));
  bool entra_note = false;
  for (const auto& n : e->notes) entra_note |= Has(n, "Ada") && Has(n, "Bicep");
  EXPECT_TRUE(entra_note);
}

TEST(BicepEmitterTest, SymbolsThatAreKeywordsOrCollideAreRenamed) {
  Plan p = testing::MakeTestPlan();
  p.resources[5].symbol = "resource";  // a Bicep keyword
  p.inputs[0].name = "vm_vm1";         // collides with a resource symbol
  auto e = EmitBicep(p);
  ASSERT_TRUE(e.ok());
  const std::string& app = File(*e, "modules/rg-app.bicep");
  EXPECT_TRUE(Has(app, "resource resource_ 'Microsoft.Network/networkInterfaces@2024-07-01'"));
  EXPECT_TRUE(Has(app, "id: resource_.id\n"));
  EXPECT_TRUE(Has(app, "param vm_vm1_2 string\n"));
  EXPECT_TRUE(Has(app, "principalId: vm_vm1_2\n"));
}

TEST(BicepEmitterTest, IsDeterministic) {
  auto a = EmitBicep(testing::MakeTestPlan());
  auto b = EmitBicep(testing::MakeTestPlan());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->files.size(), b->files.size());
  for (size_t i = 0; i < a->files.size(); ++i) {
    EXPECT_EQ(a->files[i].path, b->files[i].path);
    EXPECT_EQ(a->files[i].content, b->files[i].content);
  }
  auto empty = EmitBicep(Plan{});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(File(*empty, "main.bicep"), "targetScope = 'subscription'\n");
}

}  // namespace
}  // namespace atg::iac
