#include <gtest/gtest.h>

#include "iac/emit.h"
#include "iac/terraform_test_plan.h"

namespace atg::iac {
namespace {

using testing::AddDependency;
using testing::AddReference;
using testing::AddResource;

const std::string& File(const Emitted& e, const std::string& path) {
  for (const OutputFile& f : e.files) {
    if (f.path == path) return f.content;
  }
  static const std::string kNone = "<missing file>";
  ADD_FAILURE() << "no file " << path;
  return kNone;
}

// The files align `=` as `tofu fmt` does; the expectations are written with one space.
std::string Unaligned(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' && !out.empty() && out.back() == ' ' && out.size() > 1 &&
        out[out.size() - 2] != ' ' && out[out.size() - 2] != '\n') {
      size_t j = i;
      while (j < s.size() && s[j] == ' ') ++j;
      if (j < s.size() && s[j] == '=') {
        i = j - 1;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

bool Contains(const std::string& s, const std::string& part) {
  return Unaligned(s).find(part) != std::string::npos;
}

Plan SamplePlan() {
  Plan plan;
  plan.source_tenant_id = plan.target_tenant_id = "11111111-1111-1111-1111-111111111111";
  size_t rg = AddResource(&plan, "Microsoft.Resources/resourceGroups", "rg-App", "", "rg_app",
                          R"({"tags":{"owner":"O'Brien \"ops\" ${var.x} %{x} Zoë 東京"}})");
  size_t lb = AddResource(&plan, "Microsoft.Network/loadBalancers", "lb1", "rg-App", "lb_lb1",
                          R"({"sku":{"name":"Standard"},"properties":{"backendAddressPools":
                              [{"name":"pool1"}]}})");
  size_t vnet =
      AddResource(&plan, "Microsoft.Network/virtualNetworks", "vnet1", "rg-App", "vnet_vnet1",
                  R"({"properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]}}})");
  size_t subnet =
      AddResource(&plan, "Microsoft.Network/virtualNetworks/subnets", "vnet1/snet1", "rg-App",
                  "subnet_snet1", R"({"properties":{"addressPrefix":"10.0.1.0/24"}})");
  plan.resources[subnet].parent = vnet;
  size_t nic =
      AddResource(&plan, "Microsoft.Network/networkInterfaces", "nic1", "rg-App", "nic_nic1",
                  R"({"properties":{"ipConfigurations":[{"name":"ipconfig1","properties":{
          "privateIPAllocationMethod":"Dynamic","subnet":{"id":"/x/snet1"},
          "loadBalancerBackendAddressPools":[{"id":"/x/lb1/backendAddressPools/pool1"}]}}]}})");
  size_t sql = AddResource(&plan, "Microsoft.Sql/servers", "sql1", "rg-App", "sql_sql1",
                           R"({"properties":{"administratorLogin":"sqladmin","version":"12.0"}})");
  size_t foo = AddResource(&plan, "Microsoft.Foo/bars", "bar1", "rg-App", "bar_bar1",
                           R"({"properties":{"setting":"on","vnet":"/x/vnet1"}})");
  size_t sub_level = AddResource(&plan, "Microsoft.Authorization/roleAssignments", "ra1", "",
                                 "ra_ra1", R"({"properties":{"roleDefinitionId":"/r/def",
                                   "principalId":"AAAA-user","principalType":"User",
                                   "scope":"/subscriptions/00000000-0000-0000-0000-0000000000aa"}})");
  plan.resources[sub_level].resource_group.clear();
  for (size_t i : {lb, vnet, subnet, nic, sql, foo}) AddDependency(&plan, i, rg);
  AddDependency(&plan, subnet, vnet);
  AddReference(&plan, nic, "properties.ipConfigurations[0].properties.subnet.id", subnet);
  AddReference(&plan, nic,
               "properties.ipConfigurations[0].properties.loadBalancerBackendAddressPools[0].id",
               lb, "/backendAddressPools/pool1");
  AddReference(&plan, foo, "properties.vnet", vnet);
  AddDependency(&plan, foo, sql);  // not implied by any reference
  plan.inputs.push_back({"sql_sql1_administrator_login_password",
                         "Administrator password of SQL server sql1", true, sql,
                         "properties.administratorLoginPassword"});
  plan.inputs.push_back({"bar_bar1_secret", "Secret of bar1", true, foo, "properties.key.value"});

  PlannedPrincipal user;
  user.kind = "user";
  user.key = "/users/aaaa-user";
  user.object_id = "aaaa-user";
  user.display_name = "Ann \"A\" Smith";
  user.symbol = "user_ann";
  user.body =
      json::parse(R"({"userPrincipalName":"ann@contoso.com","accountEnabled":true})").as_object();
  PlannedPrincipal group;
  group.kind = "group";
  group.key = "/groups/gggg";
  group.object_id = "gggg";
  group.display_name = "sg-ops";
  group.symbol = "group_sg_ops";
  group.body =
      json::parse(R"({"securityEnabled":true,"mailEnabled":false,"mailNickname":"sg-ops"})")
          .as_object();
  group.members = {0};
  PlannedPrincipal sp;
  sp.kind = "service_principal";
  sp.key = "/servicePrincipals/ssss";
  sp.object_id = "ssss";
  sp.display_name = "Microsoft Graph";
  sp.symbol = "sp_graph";
  sp.body = json::parse(R"({"appId":"00000003-0000-0000-c000-000000000000",
      "appOwnerOrganizationId":"f8cdef31-a31e-4b4a-93e4-5f571e91255a"})")
                .as_object();
  plan.principals = {user, group, sp};
  return plan;
}

TEST(EmitTerraform, WritesTheFileLayout) {
  auto e = EmitTerraform(SamplePlan());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  std::vector<std::string> paths;
  for (const OutputFile& f : e.value().files) {
    paths.push_back(f.path);
    EXPECT_EQ(f.content.back(), '\n') << f.path;
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"entra.tf", "outputs.tf", "providers.tf", "rg-app.tf",
                                             "subscription.tf", "terraform.tfvars.example",
                                             "variables.tf"}));
  const std::string& providers = File(e.value(), "providers.tf");
  // The current majors of the providers.
  EXPECT_TRUE(Contains(providers, "version = \"~> 5.2\""));
  EXPECT_TRUE(Contains(providers, "version = \"~> 2.9\""));
  EXPECT_TRUE(Contains(providers, "version = \"~> 3.9\""));
  // Every input, described, with an empty value to fill in.
  EXPECT_TRUE(Contains(File(e.value(), "terraform.tfvars.example"),
                       "sql_sql1_administrator_login_password = \"\""));
  EXPECT_TRUE(Contains(providers, "source = \"hashicorp/azurerm\""));
  EXPECT_TRUE(Contains(providers, "source = \"Azure/azapi\""));
  EXPECT_TRUE(Contains(providers, "source = \"hashicorp/azuread\""));
  EXPECT_TRUE(Contains(providers, "subscription_id = \"00000000-0000-0000-0000-0000000000aa\""));
  EXPECT_TRUE(Contains(providers, "tenant_id = \"11111111-1111-1111-1111-111111111111\""));
  EXPECT_TRUE(Contains(File(e.value(), "outputs.tf"), "value = azurerm_resource_group.rg_app.id"));
  EXPECT_TRUE(Contains(File(e.value(), "subscription.tf"),
                       "resource \"azurerm_role_assignment\" \"ra_ra1\""));
}

TEST(EmitTerraform, EscapesValuesFromTheTenant) {
  auto e = EmitTerraform(SamplePlan());
  ASSERT_TRUE(e.ok());
  const std::string& rg = File(e.value(), "rg-app.tf");
  EXPECT_TRUE(Contains(rg, R"(owner = "O'Brien \"ops\" $${var.x} %%{x} Zoë 東京")")) << rg;
  EXPECT_TRUE(Contains(File(e.value(), "entra.tf"), R"(display_name = "Ann \"A\" Smith")"));
}

TEST(EmitTerraform, ReferencesBecomeTraversalsWithSuffixesAsTemplates) {
  auto e = EmitTerraform(SamplePlan());
  ASSERT_TRUE(e.ok());
  const std::string& rg = File(e.value(), "rg-app.tf");
  EXPECT_TRUE(Contains(rg, "subnet_id = azurerm_subnet.subnet_snet1.id")) << rg;
  EXPECT_TRUE(Contains(
      rg, "backend_address_pool_id = \"${azapi_resource.lb_lb1.id}/backendAddressPools/pool1\""));
  EXPECT_TRUE(Contains(rg, "vnet = azurerm_virtual_network.vnet_vnet1.id"));
  EXPECT_FALSE(Contains(rg, "\"/x/snet1\""));
  // The role assignment's principal is the emitted user.
  EXPECT_TRUE(Contains(File(e.value(), "subscription.tf"),
                       "principal_id = azuread_user.user_ann.object_id"));
}

TEST(EmitTerraform, DependsOnOnlyWhereNoReferenceImpliesIt) {
  auto e = EmitTerraform(SamplePlan());
  ASSERT_TRUE(e.ok());
  const std::string& rg = File(e.value(), "rg-app.tf");
  // bar1 depends on the group (its parent_id), the vnet (a reference) and sql1 (nothing).
  const size_t bar = rg.find("resource \"azapi_resource\" \"bar_bar1\"");
  ASSERT_NE(bar, std::string::npos);
  const std::string block = rg.substr(bar, rg.find("\n}\n", bar) - bar);
  EXPECT_TRUE(Contains(block, "depends_on = [azurerm_mssql_server.sql_sql1]")) << block;
  EXPECT_TRUE(Contains(block, "parent_id = azurerm_resource_group.rg_app.id"));
  // The subnet's dependencies are all references.
  const size_t subnet = rg.find("resource \"azurerm_subnet\" \"subnet_snet1\"");
  ASSERT_NE(subnet, std::string::npos);
  EXPECT_FALSE(Contains(rg.substr(subnet, rg.find("\n}\n", subnet) - subnet), "depends_on"));
}

TEST(EmitTerraform, InputsAreSensitiveVariablesNeverLiterals) {
  auto e = EmitTerraform(SamplePlan());
  ASSERT_TRUE(e.ok());
  const std::string& vars = File(e.value(), "variables.tf");
  EXPECT_TRUE(Contains(vars,
                       "variable \"sql_sql1_administrator_login_password\" {\n"
                       "  description = \"Administrator password of SQL server sql1\"\n"
                       "  type = string\n"
                       "  sensitive = true\n"
                       "}\n"))
      << vars;
  const std::string& rg = File(e.value(), "rg-app.tf");
  EXPECT_TRUE(
      Contains(rg, "administrator_login_password = var.sql_sql1_administrator_login_password"));
  // An input with a path the body lacks still lands in the azapi body.
  EXPECT_TRUE(Contains(rg, "value = var.bar_bar1_secret")) << rg;
}

TEST(EmitTerraform, UnknownTypesGoThroughAzapiAndTheNotesSayWhy) {
  auto e = EmitTerraform(SamplePlan());
  ASSERT_TRUE(e.ok());
  const std::string& rg = File(e.value(), "rg-app.tf");
  EXPECT_TRUE(Contains(rg, "type = \"Microsoft.Foo/bars@2024-01-01\""));
  EXPECT_TRUE(Contains(rg, "setting = \"on\""));
  bool noted = false;
  for (const std::string& n : e.value().notes) {
    noted = noted || Contains(n, "Microsoft.Foo/bars: no azurerm mapping");
  }
  EXPECT_TRUE(noted);
}

TEST(EmitTerraform, MappedTypeWithAnUnmappableInputFallsBackToAzapi) {
  Plan plan = SamplePlan();
  plan.inputs.push_back({"vnet_vnet1_odd", "odd", true, 2, "properties.odd"});
  auto e = EmitTerraform(plan);
  ASSERT_TRUE(e.ok());
  const std::string& rg = File(e.value(), "rg-app.tf");
  EXPECT_TRUE(Contains(rg, "resource \"azapi_resource\" \"vnet_vnet1\""));
  EXPECT_TRUE(Contains(rg, "virtual_network_name = azapi_resource.vnet_vnet1.name"));
}

TEST(EmitTerraform, UnmappedPrincipalInputsStayInTheAzurermBlock) {
  Plan plan = SamplePlan();
  size_t kv = AddResource(&plan, "Microsoft.KeyVault/vaults", "kv1", "rg-App", "kv_kv1",
                          R"({"properties":{"tenantId":"t","sku":{"name":"standard"},
                              "accessPolicies":[{"tenantId":"t","permissions":{"secrets":["get"]}}]}})");
  plan.inputs.push_back({"kv_kv1_policy_0_object_id", "Object id for an access policy", false, kv,
                         "properties.accessPolicies[0].objectId"});
  auto e = EmitTerraform(plan);
  ASSERT_TRUE(e.ok());
  const std::string& rg = File(e.value(), "rg-app.tf");
  EXPECT_TRUE(Contains(rg, "resource \"azurerm_key_vault\" \"kv_kv1\"")) << rg;
  EXPECT_TRUE(Contains(rg, "object_id = var.kv_kv1_policy_0_object_id"));
  const std::string& vars = File(e.value(), "variables.tf");
  const size_t v = vars.find("variable \"kv_kv1_policy_0_object_id\"");
  ASSERT_NE(v, std::string::npos);
  EXPECT_FALSE(Contains(vars.substr(v, vars.find('}', v) - v), "sensitive"));
}

TEST(EmitTerraform, WebAppConnectionStringInputsAreVariables) {
  Plan plan = SamplePlan();
  size_t app = AddResource(&plan, "Microsoft.Web/sites", "app1", "rg-App", "site_app1",
                           R"({"kind":"app","properties":{"serverFarmId":"/x/plan",
                               "siteConfig":{"appSettings":[{"name":"MODE","value":"prod"}],
                               "connectionStrings":[{"name":"db","type":"SQLAzure"}]}}})");
  plan.inputs.push_back({"site_app1_db", "Connection string db of app1", true, app,
                         "properties.siteConfig.connectionStrings[0].connectionString"});
  auto e = EmitTerraform(plan);
  ASSERT_TRUE(e.ok());
  const std::string& rg = File(e.value(), "rg-app.tf");
  EXPECT_TRUE(Contains(rg, "resource \"azurerm_windows_web_app\" \"site_app1\"")) << rg;
  EXPECT_TRUE(Contains(rg, "value = var.site_app1_db"));
  EXPECT_TRUE(Contains(rg, "\"MODE\" = \"prod\""));
}

TEST(EmitTerraform, PrincipalsAndMemberships) {
  auto e = EmitTerraform(SamplePlan());
  ASSERT_TRUE(e.ok());
  const std::string& entra = File(e.value(), "entra.tf");
  EXPECT_TRUE(Contains(entra, "resource \"azuread_user\" \"user_ann\""));
  EXPECT_TRUE(Contains(entra, "resource \"azuread_group\" \"group_sg_ops\""));
  EXPECT_TRUE(Contains(entra, "member_object_id = azuread_user.user_ann.object_id"));
  EXPECT_TRUE(Contains(entra, "use_existing = true"));
}

TEST(EmitTerraform, SameplanSameBytes) {
  auto a = EmitTerraform(SamplePlan());
  auto b = EmitTerraform(SamplePlan());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a.value().files.size(), b.value().files.size());
  for (size_t i = 0; i < a.value().files.size(); ++i) {
    EXPECT_EQ(a.value().files[i].path, b.value().files[i].path);
    EXPECT_EQ(a.value().files[i].content, b.value().files[i].content);
  }
  EXPECT_EQ(a.value().notes, b.value().notes);
}

TEST(EmitTerraform, OtherSubscriptionsGetProviderAliases) {
  Plan plan = SamplePlan();
  AddResource(&plan, "Microsoft.Resources/resourceGroups", "rg-other", "", "rg_other", "{}",
              "99999999-0000-0000-0000-000000000000");
  auto e = EmitTerraform(plan);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(Contains(File(e.value(), "providers.tf"), "alias = \"sub_99999999\""));
  EXPECT_TRUE(Contains(File(e.value(), "rg-other.tf"), "provider = azurerm.sub_99999999"));
}

TEST(EmitTerraform, AzapiBodiesAreSchemaValidated) {
  auto e = EmitTerraform(SamplePlan());
  ASSERT_TRUE(e.ok());
  for (const OutputFile& f : e.value().files) {
    EXPECT_FALSE(Contains(f.content, "schema_validation_enabled")) << f.path;
  }
}

TEST(EmitTerraform, ImportBlocksAdoptEveryResourceAndPrincipal) {
  EmitOptions o;
  o.import_existing = true;
  auto e = EmitTerraform(SamplePlan(), o);
  ASSERT_TRUE(e.ok());
  const std::string& imports = File(e.value(), "imports.tf");
  EXPECT_TRUE(Contains(imports, "to = azurerm_resource_group.rg_app\n"));
  EXPECT_TRUE(Contains(
      imports, "id = \"/subscriptions/" + std::string(testing::kSub) + "/resourceGroups/rg-App\""));
  // azapi reads with the configuration's api-version.
  EXPECT_TRUE(Contains(imports, "to = azapi_resource.lb_lb1\n"));
  EXPECT_TRUE(Contains(imports, "/loadBalancers/lb1?api-version=2024-01-01\""));
  EXPECT_TRUE(Contains(imports, "to = azuread_user.user_ann\n"));
  // Blocks a mapping adds beside its resource are adopted too.
  const std::string& rg = File(e.value(), "rg-app.tf");
  size_t blocks = 0, pos = 0;
  while ((pos = rg.find("\nresource \"", pos + 1)) != std::string::npos) ++blocks;
  if (rg.rfind("resource \"", 0) == 0) ++blocks;
  size_t adopted = 0;
  pos = 0;
  while ((pos = imports.find("\nimport {", pos + 1)) != std::string::npos) ++adopted;
  EXPECT_GE(adopted, blocks);
  // Without the option there is no imports.tf.
  auto plain = EmitTerraform(SamplePlan());
  ASSERT_TRUE(plain.ok());
  for (const OutputFile& f : plain.value().files) EXPECT_NE(f.path, "imports.tf");
}

TEST(EmitTerraform, RejectsAnInconsistentPlan) {
  Plan plan = SamplePlan();
  plan.resources[1].depends_on.push_back(999);
  auto e = EmitTerraform(plan);
  ASSERT_FALSE(e.ok());
  EXPECT_TRUE(Contains(e.status().message(), "BuildPlan"));
}

}  // namespace
}  // namespace atg::iac
