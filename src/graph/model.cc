#include "graph/model.h"

#include <cctype>

#include "common/strings.h"
#include "graph/arm_id.h"

namespace atg::graph {

Result<json::value> Node::Properties() const {
  auto v = ParseJson(properties);
  if (!v.ok()) return v.status().WithContext("properties of graph node " + key);
  return v;
}

std::string TenantKey(std::string_view tenant_id) { return "/tenants/" + ToLower(tenant_id); }
std::string UserKey(std::string_view id) { return "/users/" + ToLower(id); }
std::string GroupKey(std::string_view id) { return "/groups/" + ToLower(id); }
std::string ServicePrincipalKey(std::string_view id) { return "/servicePrincipals/" + ToLower(id); }
std::string DirectoryObjectKey(std::string_view id) { return "/directoryObjects/" + ToLower(id); }
bool IsDirectoryObjectPlaceholder(std::string_view key) {
  return key.starts_with("/directoryObjects/");
}

std::string TagKey(std::string_view name, std::string_view value) {
  std::string key = "/tags/";
  key.append(name);
  key += '=';
  key.append(value);
  return ToLower(key);
}

std::string NormalizeLocation(std::string_view location) {
  std::string out;
  for (char c : location) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::string RegionKey(std::string_view location) {
  return "/regions/" + NormalizeLocation(location);
}

std::string_view LabelForArmType(std::string_view type) {
  if (EqualsIgnoreCase(type, "Microsoft.Resources/subscriptions")) return label::kSubscription;
  if (EqualsIgnoreCase(type, "Microsoft.Resources/resourceGroups")) return label::kResourceGroup;
  if (EqualsIgnoreCase(type, "Microsoft.ManagedIdentity/userAssignedIdentities")) {
    return label::kManagedIdentity;
  }
  if (EqualsIgnoreCase(type, "Microsoft.Authorization/roleAssignments")) {
    return label::kRoleAssignment;
  }
  if (EqualsIgnoreCase(type, "Microsoft.Authorization/roleDefinitions")) {
    return label::kRoleDefinition;
  }
  return label::kResource;
}

Result<Node> NodeFromArmResource(const json::object& body) {
  auto id = FindString(&body, "id");
  if (!id) return Status::InvalidArgument("ARM body has no string 'id'; cannot key its node");
  auto parsed = ParseArmId(*id);
  if (!parsed.ok()) return parsed.status();
  Node n;
  n.key = NormalizeArmId(*id);
  n.original_id = std::string(*id);
  auto type = FindString(&body, "type");
  n.type = ToLower(type && !type->empty() ? *type : std::string_view(parsed->type));
  n.label = std::string(LabelForArmType(n.type));
  auto name = FindString(&body, "name");
  n.name = name && !name->empty() ? std::string(*name) : parsed->name;
  if (n.label == label::kSubscription) {
    if (auto dn = FindString(&body, "displayName")) n.name = std::string(*dn);
  }
  n.subscription_id = ToLower(parsed->subscription_id);
  n.resource_group = ToLower(parsed->resource_group);
  if (auto loc = FindString(&body, "location")) n.location = std::string(*loc);
  n.properties = json::serialize(body);
  return n;
}

Result<Node> NodeFromDirectoryObject(DirectoryKind kind, const json::object& body) {
  auto id = FindString(&body, "id");
  if (!id) id = FindString(&body, "objectId");  // Azure AD Graph shape
  if (!id || id->empty()) {
    return Status::InvalidArgument("directory object has no 'id'; cannot key its node");
  }
  Node n;
  switch (kind) {
    case DirectoryKind::kUser:
      n.key = UserKey(*id);
      n.label = std::string(label::kUser);
      break;
    case DirectoryKind::kGroup:
      n.key = GroupKey(*id);
      n.label = std::string(label::kGroup);
      break;
    case DirectoryKind::kServicePrincipal:
      n.key = ServicePrincipalKey(*id);
      n.label = std::string(label::kServicePrincipal);
      break;
  }
  n.original_id = std::string(*id);
  auto name = FindString(&body, "displayName");
  if (!name) name = FindString(&body, "userPrincipalName");
  n.name = name ? std::string(*name) : std::string(*id);
  n.properties = json::serialize(body);
  return n;
}

Node TenantNode(std::string_view tenant_id) {
  Node n;
  n.key = TenantKey(tenant_id);
  n.label = std::string(label::kTenant);
  n.name = std::string(tenant_id);
  n.original_id = std::string(tenant_id);
  json::object props;
  props["tenantId"] = tenant_id;
  n.properties = json::serialize(props);
  return n;
}

Node TagNode(std::string_view name, std::string_view value) {
  Node n;
  n.key = TagKey(name, value);
  n.label = std::string(label::kTag);
  n.name = std::string(name) + "=" + std::string(value);
  json::object props;
  props["name"] = name;
  props["value"] = value;
  n.properties = json::serialize(props);
  return n;
}

Node RegionNode(std::string_view location) {
  Node n;
  n.key = RegionKey(location);
  n.label = std::string(label::kRegion);
  n.name = NormalizeLocation(location);
  n.location = n.name;
  json::object props;
  props["name"] = n.name;
  n.properties = json::serialize(props);
  return n;
}

Edge MakeEdge(std::string from, std::string to, std::string_view type) {
  return Edge{std::move(from), std::move(to), std::string(type), ""};
}

bool IsModelLabel(std::string_view l) {
  static constexpr std::string_view kAll[] = {label::kTenant,
                                              label::kSubscription,
                                              label::kResourceGroup,
                                              label::kResource,
                                              label::kUser,
                                              label::kGroup,
                                              label::kServicePrincipal,
                                              label::kManagedIdentity,
                                              label::kRoleAssignment,
                                              label::kRoleDefinition,
                                              label::kTag,
                                              label::kRegion};
  for (std::string_view x : kAll) {
    if (x == l) return true;
  }
  return false;
}

bool IsModelEdgeType(std::string_view t) {
  static constexpr std::string_view kAll[] = {
      edge::kContains,  edge::kReferences,   edge::kUses,       edge::kConnectedTo,
      edge::kSecuredBy, edge::kUsesIdentity, edge::kAssignedTo, edge::kHasRole,
      edge::kMemberOf,  edge::kTaggedWith,   edge::kLocatedIn,  edge::kLogsTo};
  for (std::string_view x : kAll) {
    if (x == t) return true;
  }
  return false;
}

}  // namespace atg::graph
