// The azurerm mappings of resource groups, role assignments and role definitions
// (Microsoft.Resources, Microsoft.Authorization): one choose/render pair per ARM type, arguments as
// the azurerm 4.x provider documents them (the table: iac/terraform_types.h).
#include "iac/terraform_arguments.h"

namespace atg::iac::terraform {
namespace {

void RenderResourceGroup(MapContext& c, HclWriter& w) {
  w.StringAttribute("name", c.resource().name);
  c.Location(w);
  c.Tags(w);
}

void RenderRoleAssignment(MapContext& c, HclWriter& w) {
  w.StringAttribute("name", c.resource().name);
  if (c.Has("properties.scope") && c.Get("properties.scope")->is_string()) {
    // A resource scope is the extended resource; a subscription scope stays literal.
    if (c.resource().scope) {
      w.Attribute("scope", c.IdOf(*c.resource().scope));
    } else {
      c.Attr(w, "scope", "properties.scope");
    }
  } else {
    w.Attribute("scope", ScopeId(c));
  }
  c.Attr(w, "role_definition_id", "properties.roleDefinitionId");
  w.Attribute("principal_id", c.PrincipalExpr("properties.principalId"));
  c.Attr(w, "principal_type", "properties.principalType");
  c.Attr(w, "description", "properties.description");
  c.Attr(w, "condition", "properties.condition");
  c.Attr(w, "condition_version", "properties.conditionVersion");
}

std::string ChooseRoleDefinition(const MapContext& c, std::string* why) {
  if (EqualsIgnoreCase(c.GetString("properties.type"), "BuiltInRole")) {
    return ViaAzapi(why, "built-in role definitions exist in every tenant");
  }
  return AzurermType("azurerm_role_definition");
}
void RenderRoleDefinition(MapContext& c, HclWriter& w) {
  w.StringAttribute("role_definition_id", c.resource().name);
  c.Attr(w, "name", "properties.roleName");
  c.Attr(w, "description", "properties.description");
  w.Attribute("scope", ScopeId(c));
  const size_t n = ArraySize(c, "properties.permissions");
  for (size_t i = 0; i < n; ++i) {
    const std::string p = ElementPath("properties.permissions", i, "");
    w.BeginBlock("permissions");
    for (auto [tf, arm] : {std::pair{"actions", "actions"},
                           {"not_actions", "notActions"},
                           {"data_actions", "dataActions"},
                           {"not_data_actions", "notDataActions"}}) {
      if (NonEmptyArray(c, p + "." + arm)) c.Attr(w, tf, p + "." + arm);
    }
    w.EndBlock();
  }
  if (NonEmptyArray(c, "properties.assignableScopes")) {
    c.Attr(w, "assignable_scopes", "properties.assignableScopes");
  }
}

// Import ids azurerm composes from more than the ARM id.
std::string RoleDefinitionImportId(const MapContext& c) {
  const std::string& scope = c.resource().parent_id;
  return c.resource().id + "|" + (scope.empty() ? "/" : scope);
}

}  // namespace

void AddResourcesMappings(std::vector<TypeMapping>* table) {
  table->insert(table->end(),
                {
                    {"microsoft.authorization/roleassignments",
                     "azurerm_role_assignment",
                     ATG_ALWAYS_AZURERM_TYPE("azurerm_role_assignment"),
                     RenderRoleAssignment,
                     {"properties.principalId"}},
                    {"microsoft.authorization/roledefinitions",
                     "azurerm_role_definition",
                     ChooseRoleDefinition,
                     RenderRoleDefinition,
                     {},
                     "role_definition_resource_id",
                     RoleDefinitionImportId},
                    {"microsoft.resources/resourcegroups", "azurerm_resource_group",
                     ATG_ALWAYS_AZURERM_TYPE("azurerm_resource_group"), RenderResourceGroup},
                });
}

}  // namespace atg::iac::terraform
