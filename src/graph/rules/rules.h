// Relationship rules: each turns one source body into edges (and the few nodes they imply, such
// as Tag and Region nodes). Rules are pure functions of the body and a RuleContext; they never
// look at the store, so they run on the scanner's threads in parallel.
//
// Edge targets may name nodes the scan has not written (yet, or at all): the store settles them
// at commit (see ScanSession::Commit in graph/graph_store.h).
//
// Thread-safety: all functions are reentrant; a RuleContext's resolver must be safe to call from
// several threads.
#ifndef ATG_GRAPH_RULES_RULES_H_
#define ATG_GRAPH_RULES_RULES_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "graph/arm_id.h"
#include "graph/model.h"

namespace atg::graph {

// Maps an Entra object id to its node key ("/users/..", "/groups/..", "/servicePrincipals/..")
// when the caller knows the object's kind; nullopt otherwise.
using DirectoryResolver = std::function<std::optional<std::string>(std::string_view object_id)>;

struct RuleContext {
  std::string tenant_id;
  // Optional. Without it (or when it returns nullopt) rules point at the "/directoryObjects/{id}"
  // placeholder, which the store resolves at commit.
  DirectoryResolver resolve_directory_object;
};

// An ARM body prepared once for all rules. Points into the body, which must outlive it.
struct ArmBody {
  const json::object* body = nullptr;
  const json::object* properties = nullptr;  // body.properties when it is an object
  std::string key;                           // NormalizeArmId(body.id)
  std::string type;                          // lower-cased ARM type
  ArmId id;                                  // parsed body.id

  // Fails when body.id is missing or not an ARM id.
  static Result<ArmBody> From(const json::object& body);
};

// CONTAINS: parent -> this node. The parent is the tenant (for subscriptions and tenant-level
// resources), the subscription, the resource group, the parent resource (child resources) or
// the extended resource (extension resources such as diagnostic settings, role assignments).
void ContainmentRule(const ArmBody& r, const RuleContext& ctx, GraphFragment* out);

// REFERENCES: this node -> every ARM id found anywhere in the body (string values and object
// keys), deduplicated. Excluded: the body's own top-level id, and ids at or below the resource's
// own id (its inline sub-objects and children, e.g. a NIC's ipConfigurations or a VNet's inline
// subnets: CONTAINS already links real children, and a resource does not depend on itself).
// Each edge's properties are {"path": "<JSON path of the first occurrence in the body>"}, e.g.
// "properties.ipConfigurations[0].properties.subnet.id", so that readers can tell settable
// references from the read-only back-references ARM also returns (an NSG's
// properties.networkInterfaces, a subnet's properties.ipConfigurations), which can form cycles.
void ReferencesRule(const ArmBody& r, GraphFragment* out);

// USES: virtual machine -> its network interfaces, OS disk and data disks (managed disks).
void UsesRule(const ArmBody& r, GraphFragment* out);

// CONNECTED_TO: NIC -> subnet of each ip configuration; private endpoint -> its subnet and the
// target of each (manual) private link service connection; VNet -> remote VNet of each peering
// (from the VNet's inline peerings, or from a virtualNetworkPeerings child body, whose parent
// VNet is the edge's source).
void ConnectedToRule(const ArmBody& r, GraphFragment* out);

// SECURED_BY: NIC or subnet -> its network security group.
void SecuredByRule(const ArmBody& r, GraphFragment* out);

// USES_IDENTITY: resource -> each user-assigned identity (by ARM id), and for a system-assigned
// identity -> the ServicePrincipal node "/servicePrincipals/{principalId}".
void UsesIdentityRule(const ArmBody& r, GraphFragment* out);

// Role assignment: ASSIGNED_TO -> the principal (by principalType: User, Group/ForeignGroup,
// ServicePrincipal; other or missing types go through the resolver / placeholder) and
// HAS_ROLE -> the role definition (properties.roleDefinitionId).
void RoleAssignmentRule(const ArmBody& r, const RuleContext& ctx, GraphFragment* out);

// TAGGED_WITH: resource -> Tag node per entry of body.tags (also emits the Tag nodes).
void TagRule(const ArmBody& r, GraphFragment* out);

// LOCATED_IN: resource -> Region node of body.location (also emits the Region node).
void LocationRule(const ArmBody& r, GraphFragment* out);

// LOGS_TO: diagnostic setting -> its Log Analytics workspace (properties.workspaceId), and the
// resource the setting belongs to -> the same workspace; Application Insights component (or any
// resource with properties.WorkspaceResourceId, any case) -> that workspace.
void LogsToRule(const ArmBody& r, GraphFragment* out);

// MEMBER_OF: each member of a Microsoft Graph group -> the group. `group` is a group object
// whose "members" is an array of object ids (the simulator's tenant file) or of directory
// objects with "@odata.type" and "id" (Graph's /members). Object ids whose kind is unknown go
// through the resolver, else the "/directoryObjects/{id}" placeholder.
void MemberOfRule(const json::object& group, const RuleContext& ctx, GraphFragment* out);

// Applies every ARM rule above to one ARM body and adds the body's own node first.
Result<GraphFragment> BuildArmFragment(const json::object& body, const RuleContext& ctx);

// The node of a Microsoft Graph object plus, for groups, its MEMBER_OF edges.
Result<GraphFragment> BuildDirectoryFragment(DirectoryKind kind, const json::object& body,
                                             const RuleContext& ctx);

}  // namespace atg::graph

#endif  // ATG_GRAPH_RULES_RULES_H_
