// ARM resource ids: parsing, case normalisation and detection inside arbitrary JSON.
//
// An ARM id names a resource by its path:
//   /subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{childType}/{name}]...
// Extension resources hang below another resource's id ("scope"):
//   {scope}/providers/{ns}/{type}/{name}   e.g. a VM's diagnostic setting or a role assignment.
// Tenant-level resources have no subscription:
// /providers/Microsoft.Authorization/roleDefinitions/x. Azure compares ids case-insensitively; the
// graph keys nodes by NormalizeArmId(id).
//
// Thread-safety: all functions are reentrant.
#ifndef ATG_GRAPH_ARM_ID_H_
#define ATG_GRAPH_ARM_ID_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace atg::graph {

struct ArmId {
  std::string subscription_id;  // as written; empty for tenant-level ids
  std::string resource_group;   // as written; empty above resource-group level
  // The full resource type as written, e.g. "Microsoft.Network/virtualNetworks/subnets";
  // "Microsoft.Resources/subscriptions" and "Microsoft.Resources/resourceGroups" for those.
  std::string type;
  std::string name;                // the last name segment
  std::vector<std::string> names;  // every name segment after the last "providers"
  // The id of the resource this one sits directly below: the parent resource for a child
  // resource, the extended resource (scope) for an extension resource, the resource group,
  // the subscription, or "" (the tenant) for top-level ids. Original casing.
  std::string parent_id;
  // For an extension resource, the id it extends (same as parent_id); "" otherwise.
  std::string extension_scope;
};

// Parses `id`. Fails (kInvalidArgument, naming the id) when it is not an ARM id path.
Result<ArmId> ParseArmId(std::string_view id);

// The node key of an ARM id: lower-cased, without a trailing '/'.
std::string NormalizeArmId(std::string_view id);

// True when the whole of `s` is shaped like an ARM id: "/subscriptions/{x}/..." or
// "/providers/{ns}/{type}/{name}...", without whitespace, query strings or empty segments.
bool LooksLikeArmId(std::string_view s);

// Every ARM id found in `v`, as string values or as object keys (ARM keys user-assigned
// identities by id), in document order, normalised, duplicates kept.
void CollectArmIds(const json::value& v, std::vector<std::string>* out);

// An ARM id found in a document and where: a path such as
// "properties.ipConfigurations[0].properties.subnet.id"; for an id used as an object key, the
// path of that object followed by the key in brackets, e.g.
// "identity.userAssignedIdentities[\"/subscriptions/...\"]".
struct ArmIdRef {
  std::string id;  // normalised
  std::string path;
};

// Like CollectArmIds, with the path of each occurrence relative to `v`.
void CollectArmIdRefs(const json::value& v, std::string_view base_path, std::vector<ArmIdRef>* out);

// The ancestors of a normalised ARM id, nearest first: for
// ".../virtualnetworks/v/subnets/s" yields ".../virtualnetworks/v", then the resource group,
// then the subscription. For an extension resource the next ancestor is its scope.
std::vector<std::string> ArmIdAncestors(std::string_view normalized_id);

}  // namespace atg::graph

#endif  // ATG_GRAPH_ARM_ID_H_
