// The graph model: nodes, typed edges, labels and the node-key rules (DESIGN.md §3.4).
//
// Keys. ARM nodes are keyed by the lower-cased ARM id (NormalizeArmId); the id as Azure wrote it
// is kept in Node::original_id. Entra objects are keyed "/users/{id}", "/groups/{id}",
// "/servicePrincipals/{id}" (id lower-cased), the tenant "/tenants/{id}", tags
// "/tags/{name}={value}" and regions "/regions/{location}" (both lower-cased, regions without
// spaces). "/directoryObjects/{id}" is a placeholder edge endpoint for an Entra object whose kind
// is not known when the edge is made; the store resolves it at commit (see graph_store.h).
//
// Thread-safety: values; the functions are reentrant.
#ifndef ATG_GRAPH_MODEL_H_
#define ATG_GRAPH_MODEL_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace atg::graph {

namespace label {
inline constexpr std::string_view kTenant = "Tenant";
inline constexpr std::string_view kSubscription = "Subscription";
inline constexpr std::string_view kResourceGroup = "ResourceGroup";
inline constexpr std::string_view kResource = "Resource";
inline constexpr std::string_view kUser = "User";
inline constexpr std::string_view kGroup = "Group";
inline constexpr std::string_view kServicePrincipal = "ServicePrincipal";
inline constexpr std::string_view kManagedIdentity = "ManagedIdentity";
inline constexpr std::string_view kRoleAssignment = "RoleAssignment";
inline constexpr std::string_view kRoleDefinition = "RoleDefinition";
inline constexpr std::string_view kTag = "Tag";
inline constexpr std::string_view kRegion = "Region";
}  // namespace label

namespace edge {
inline constexpr std::string_view kContains = "CONTAINS";
inline constexpr std::string_view kReferences = "REFERENCES";
inline constexpr std::string_view kUses = "USES";
inline constexpr std::string_view kConnectedTo = "CONNECTED_TO";
inline constexpr std::string_view kSecuredBy = "SECURED_BY";
inline constexpr std::string_view kUsesIdentity = "USES_IDENTITY";
inline constexpr std::string_view kAssignedTo = "ASSIGNED_TO";
inline constexpr std::string_view kHasRole = "HAS_ROLE";
inline constexpr std::string_view kMemberOf = "MEMBER_OF";
inline constexpr std::string_view kTaggedWith = "TAGGED_WITH";
inline constexpr std::string_view kLocatedIn = "LOCATED_IN";
inline constexpr std::string_view kLogsTo = "LOGS_TO";
}  // namespace edge

struct Node {
  std::string key;    // see the key rules above; unique within a tenant's graph
  std::string label;  // one of label::k*
  std::string type;   // lower-cased ARM type for ARM nodes ("" for Entra, tag, region, tenant)
  std::string name;
  std::string original_id;      // the id as the source wrote it (ARM id or Entra object id)
  std::string subscription_id;  // lower-cased; "" when not below a subscription
  std::string resource_group;   // lower-cased; "" when not below a resource group
  std::string location;         // as written by Azure; "" when none
  // The full source body as serialized JSON (an object), never truncated. Kept as text so that
  // producers serialize in parallel and the store writes it as is; parse with Properties().
  std::string properties = "{}";

  Result<json::value> Properties() const;
  bool operator==(const Node&) const = default;
};

struct Edge {
  std::string from;        // node key
  std::string to;          // node key
  std::string type;        // one of edge::k*
  std::string properties;  // serialized JSON object, or "" for none

  bool operator==(const Edge&) const = default;
};

// What a rule or a builder derives from one source body.
struct GraphFragment {
  std::vector<Node> nodes;
  std::vector<Edge> edges;
};

// Key rules.
std::string TenantKey(std::string_view tenant_id);
std::string UserKey(std::string_view object_id);
std::string GroupKey(std::string_view object_id);
std::string ServicePrincipalKey(std::string_view object_id);
std::string DirectoryObjectKey(std::string_view object_id);  // placeholder, see above
std::string TagKey(std::string_view name, std::string_view value);
std::string NormalizeLocation(std::string_view location);  // "West US 2" -> "westus2"
std::string RegionKey(std::string_view location);

// True for keys of the "/directoryObjects/{id}" placeholder form.
bool IsDirectoryObjectPlaceholder(std::string_view key);

// The label of an ARM node of the (any-case) ARM type.
std::string_view LabelForArmType(std::string_view type);

// Builds the node of an ARM body (resource, child or extension resource, resource group or
// subscription). The type comes from body.type, or from the id when that is absent or null.
// Fails when body.id is missing or not an ARM id.
Result<Node> NodeFromArmResource(const json::object& body);

enum class DirectoryKind { kUser, kGroup, kServicePrincipal };

// Builds the node of a Microsoft Graph user, group or servicePrincipal object. Fails without id.
Result<Node> NodeFromDirectoryObject(DirectoryKind kind, const json::object& body);

Node TenantNode(std::string_view tenant_id);
Node TagNode(std::string_view name, std::string_view value);
Node RegionNode(std::string_view location);

// Whether `l` is one of label::k* / `t` one of edge::k* (exact case).
bool IsModelLabel(std::string_view l);
bool IsModelEdgeType(std::string_view t);

// Edge helper: an edge without properties.
Edge MakeEdge(std::string from, std::string to, std::string_view type);

}  // namespace atg::graph

#endif  // ATG_GRAPH_MODEL_H_
