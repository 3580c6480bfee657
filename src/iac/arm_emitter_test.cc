#include <gtest/gtest.h>

#include <set>
#include <string>

#include "iac/emit.h"
#include "iac/emit_test_plan.h"

namespace atg::iac {
namespace {

const json::object& FileJson(const Emitted& e, const std::string& path, json::value* holder) {
  for (const auto& f : e.files) {
    if (f.path == path) {
      auto v = ParseJson(f.content);
      EXPECT_TRUE(v.ok()) << path;
      *holder = std::move(*v);
      return holder->as_object();
    }
  }
  ADD_FAILURE() << "no " << path;
  static const json::object empty;
  return empty;
}

const json::object* FindResource(const json::array& resources, std::string_view type,
                                 std::string_view name) {
  for (const auto& r : resources) {
    const auto& o = r.as_object();
    if (o.at("type").as_string() == type && o.at("name").as_string() == name) return &o;
  }
  return nullptr;
}

const json::array& InnerResources(const json::array& outer, std::string_view group) {
  const json::object* d = FindResource(outer, "Microsoft.Resources/deployments", group);
  EXPECT_NE(d, nullptr) << group;
  return d->at("properties").at("template").at("resources").as_array();
}

// Every function name used in an expression string, recursively.
void CollectFunctions(const json::value& v, std::set<std::string>* out) {
  if (v.is_string()) {
    std::string_view s = v.get_string();
    if (s.size() < 2 || s[0] != '[' || s[1] == '[') return;
    bool in_quote = false;
    std::string ident;
    for (char c : s) {
      if (c == '\'') in_quote = !in_quote;
      if (in_quote) continue;
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
        ident += c;
      } else {
        if (c == '(' && !ident.empty()) out->insert(ident);
        ident.clear();
      }
    }
  } else if (v.is_array()) {
    for (const auto& e : v.get_array()) CollectFunctions(e, out);
  } else if (v.is_object()) {
    for (const auto& kv : v.get_object()) {
      CollectFunctions(json::value(kv.key()), out);
      CollectFunctions(kv.value(), out);
    }
  }
}

TEST(ArmEmitterTest, LayoutAndParameters) {
  auto e = EmitArm(testing::MakeTestPlan());
  ASSERT_TRUE(e.ok()) << e.status().message();
  ASSERT_EQ(e->files.size(), 2u);
  EXPECT_EQ(e->files[0].path, "azuredeploy.json");
  EXPECT_EQ(e->files[1].path, "azuredeploy.parameters.json");
  for (const auto& f : e->files) EXPECT_EQ(f.content.back(), '\n');

  json::value holder;
  const json::object& t = FileJson(*e, "azuredeploy.json", &holder);
  EXPECT_EQ(t.at("$schema").as_string(),
            "https://schema.management.azure.com/schemas/2018-05-01/"
            "subscriptionDeploymentTemplate.json#");
  EXPECT_EQ(t.at("parameters").at("vm_vm1_admin_password").at("type").as_string(), "securestring");
  EXPECT_EQ(t.at("parameters").at("role_assignment_vm1_principal_id").at("type").as_string(),
            "string");
  const json::array& res = t.at("resources").as_array();
  const json::object* rg = FindResource(res, "Microsoft.Resources/resourceGroups", "rg-net");
  ASSERT_NE(rg, nullptr);
  EXPECT_EQ(rg->at("location").as_string(), "westeurope");
  EXPECT_EQ(rg->at("tags").at("env").as_string(), "[[prod]");  // a literal, not an expression

  const json::object* app = FindResource(res, "Microsoft.Resources/deployments", "rg-app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->at("resourceGroup").as_string(), "rg-app");
  EXPECT_EQ(app->at("properties").at("expressionEvaluationOptions").at("scope").as_string(),
            "Inner");
  // The app group waits for its group and for the network group it references.
  const json::array& deps = app->at("dependsOn").as_array();
  EXPECT_NE(std::find(deps.begin(), deps.end(),
                      json::value("[subscriptionResourceId('Microsoft.Resources/resourceGroups', "
                                  "'rg-app')]")),
            deps.end());
  EXPECT_NE(std::find(deps.begin(), deps.end(),
                      json::value("[resourceId(subscription().subscriptionId, 'rg-net', "
                                  "'Microsoft.Resources/deployments', 'rg-net')]")),
            deps.end());
  // Secrets go down as parameters, never as values.
  const json::object& passed = app->at("properties").at("parameters").as_object();
  EXPECT_EQ(passed.at("vm_vm1_admin_password").at("value").as_string(),
            "[parameters('vm_vm1_admin_password')]");
  EXPECT_EQ(app->at("properties")
                .at("template")
                .at("parameters")
                .at("vm_vm1_admin_password")
                .at("type")
                .as_string(),
            "securestring");
  const json::object* net = FindResource(res, "Microsoft.Resources/deployments", "rg-net");
  ASSERT_NE(net, nullptr);
  EXPECT_TRUE(net->at("properties").at("parameters").as_object().empty());

  json::value pholder;
  const json::object& pf = FileJson(*e, "azuredeploy.parameters.json", &pholder);
  const json::object& pp = pf.at("parameters").as_object();
  EXPECT_EQ(pp.at("vm_vm1_admin_password").at("reference").at("secretName").as_string(),
            "vm-vm1-admin-password");
  EXPECT_FALSE(pp.at("vm_vm1_admin_password").as_object().contains("value"));
  EXPECT_EQ(pp.at("role_assignment_vm1_principal_id").at("value").as_string(), "");

  bool entra_note = false;
  for (const auto& n : e->notes) entra_note |= n.find("Ada") != std::string::npos;
  EXPECT_TRUE(entra_note);
}

TEST(ArmEmitterTest, ExistingResourceGroupsAreNotDeployed) {
  EmitOptions o;
  o.create_resource_groups = false;
  auto e = EmitArm(testing::MakeTestPlan(), o);
  ASSERT_TRUE(e.ok()) << e.status().message();
  for (const auto& f : e->files) {
    EXPECT_EQ(f.content.find("\"Microsoft.Resources/resourceGroups\""), std::string::npos)
        << f.path;
  }
}

TEST(ArmEmitterTest, ReferencesBecomeResourceIdsWithDependencies) {
  auto e = EmitArm(testing::MakeTestPlan());
  ASSERT_TRUE(e.ok());
  json::value holder;
  const json::array& res = FileJson(*e, "azuredeploy.json", &holder).at("resources").as_array();
  const json::array& net = InnerResources(res, "rg-net");
  const json::array& app = InnerResources(res, "rg-app");

  const json::object* subnet =
      FindResource(net, "Microsoft.Network/virtualNetworks/subnets", "vnet1/default");
  ASSERT_NE(subnet, nullptr);
  EXPECT_EQ(subnet->at("dependsOn").as_array(),
            (json::array{"[resourceId('Microsoft.Network/virtualNetworks', 'vnet1')]"}));
  EXPECT_FALSE(subnet->contains("location"));
  const json::object* vnet = FindResource(net, "Microsoft.Network/virtualNetworks", "vnet1");
  ASSERT_NE(vnet, nullptr);
  EXPECT_EQ(vnet->at("tags").at("note").as_string(), "it's ${not} [an] expression");
  EXPECT_EQ(vnet->at("tags").at("b").as_string(), "[[x]");
  EXPECT_FALSE(vnet->contains("dependsOn"));  // its group is the deployment's own

  const json::object* nic = FindResource(app, "Microsoft.Network/networkInterfaces", "nic1");
  ASSERT_NE(nic, nullptr);
  const json::object& ipc =
      nic->at("properties").at("ipConfigurations").at(0).at("properties").as_object();
  EXPECT_EQ(ipc.at("subnet").at("id").as_string(),
            "[resourceId(subscription().subscriptionId, 'rg-net', "
            "'Microsoft.Network/virtualNetworks/subnets', 'vnet1', 'default')]");
  EXPECT_EQ(ipc.at("loadBalancerBackendAddressPools").at(0).at("id").as_string(),
            "[concat(resourceId(subscription().subscriptionId, 'rg-net', "
            "'Microsoft.Network/virtualNetworks', 'vnet1'), '/backendAddressPools/pool1')]");
  EXPECT_FALSE(nic->contains("dependsOn"));  // cross-group: the deployment waits instead

  const json::object* vm = FindResource(app, "Microsoft.Compute/virtualMachines", "vm1");
  ASSERT_NE(vm, nullptr);
  const json::object& uai = vm->at("identity").at("userAssignedIdentities").as_object();
  ASSERT_EQ(uai.size(), 1u);
  EXPECT_EQ(uai.begin()->key(),
            "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id1')]");
  EXPECT_EQ(vm->at("properties").at("osProfile").at("adminPassword").as_string(),
            "[parameters('vm_vm1_admin_password')]");
  EXPECT_EQ(vm->at("properties").at("networkProfile").at("networkInterfaces").at(0).at("id"),
            "[resourceId('Microsoft.Network/networkInterfaces', 'nic1')]");
  EXPECT_EQ(vm->at("dependsOn").as_array(),
            (json::array{"[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id1')]",
                         "[resourceId('Microsoft.Network/networkInterfaces', 'nic1')]"}));

  const json::object* ra = FindResource(app, "Microsoft.Authorization/roleAssignments",
                                        "11111111-2222-3333-4444-555555555555");
  ASSERT_NE(ra, nullptr);
  EXPECT_EQ(ra->at("scope").as_string(),
            "[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]");
  EXPECT_EQ(ra->at("properties").at("principalId").as_string(),
            "[parameters('role_assignment_vm1_principal_id')]");
}

TEST(ArmEmitterTest, UsesOnlyTheSupportedExpressionFunctions) {
  auto e = EmitArm(testing::MakeTestPlan());
  ASSERT_TRUE(e.ok());
  json::value holder;
  FileJson(*e, "azuredeploy.json", &holder);
  std::set<std::string> used;
  CollectFunctions(holder, &used);
  const std::set<std::string> allowed = {
      "parameters", "variables", "resourceId",   "subscriptionResourceId", "extensionResourceId",
      "concat",     "format",    "subscription", "resourceGroup"};
  for (const auto& f : used) EXPECT_TRUE(allowed.count(f)) << f;
  EXPECT_TRUE(used.count("resourceId"));
  EXPECT_TRUE(used.count("concat"));
}

TEST(ArmEmitterTest, IsDeterministicAndHandlesAnEmptyPlan) {
  auto a = EmitArm(testing::MakeTestPlan());
  auto b = EmitArm(testing::MakeTestPlan());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->files.size(), b->files.size());
  for (size_t i = 0; i < a->files.size(); ++i) EXPECT_EQ(a->files[i].content, b->files[i].content);
  EXPECT_EQ(a->notes, b->notes);

  auto empty = EmitArm(Plan{});
  ASSERT_TRUE(empty.ok());
  json::value holder;
  EXPECT_TRUE(FileJson(*empty, "azuredeploy.json", &holder).at("resources").as_array().empty());
}

TEST(ArmEmitterTest, UnresolvablePathsAreReportedNotFatal) {
  Plan p = testing::MakeTestPlan();
  p.resources[5].references.push_back({"properties.nothing.here", 2, ""});
  auto e = EmitArm(p);
  ASSERT_TRUE(e.ok());
  bool noted = false;
  for (const auto& n : e->notes) noted |= n.find("properties.nothing.here") != std::string::npos;
  EXPECT_TRUE(noted);
}

}  // namespace
}  // namespace atg::iac
