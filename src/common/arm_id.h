// ARM resource ids: the one parser of their grammar, shared by the graph (node keys, references)
// and the simulator (tenant validation, request routing).
//
// An ARM id names a resource by its path:
//   /subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{childType}/{name}]...
// Extension resources hang below another resource's id ("scope"):
//   {scope}/providers/{ns}/{type}/{name}   e.g. a VM's diagnostic setting or a role assignment.
// Tenant-level resources have no subscription:
// /providers/Microsoft.Authorization/roleDefinitions/x. Segment keywords ("subscriptions",
// "resourceGroups", "providers") match case-insensitively and Azure compares ids
// case-insensitively, so callers key ids by NormalizeArmId(id).
//
// Thread-safety: all functions are reentrant.
#ifndef ATG_COMMON_ARM_ID_H_
#define ATG_COMMON_ARM_ID_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atg {

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

  bool is_subscription() const;    // /subscriptions/{id}
  bool is_resource_group() const;  // /subscriptions/{id}/resourceGroups/{name}
  // A child resource (a provider section with more than one type segment, e.g. a subnet).
  bool is_child() const { return names.size() > 1; }
  // An extension resource on another resource (a diagnostic setting on a VNet).
  bool is_extension() const { return !extension_scope.empty(); }
  // The parent resource of a child resource; "" for anything else.
  std::string parent() const { return is_child() ? parent_id : std::string(); }
};

// The parts of an ARM id as views into the id itself, found without allocating: for hot paths
// (the simulator indexes and routes every id it serves). The id must outlive the view. Same
// grammar and the same meaning of each part as ArmId; the type is not assembled (it interleaves
// with the names), so callers that need it use ParseArmId.
struct ArmIdView {
  std::string_view subscription_id;  // "" for tenant-level ids
  std::string_view resource_group;   // "" above resource-group level
  std::string_view name;             // the last name segment
  std::string_view parent_id;        // ArmId::parent_id, a prefix of the id
  std::string_view extension_scope;  // ArmId::extension_scope, a prefix of the id
  // Type/name pairs after the last "providers": 1 for a top-level resource, 2 or more for a
  // child; 0 for subscriptions and resource groups.
  size_t depth = 0;

  bool is_subscription() const { return depth == 0 && resource_group.empty(); }
  bool is_resource_group() const { return depth == 0 && !resource_group.empty(); }
  bool is_child() const { return depth > 1; }
  bool is_extension() const { return !extension_scope.empty(); }
};

// Parses `id` as ParseArmId does; allocates only for an error's message. Ids of more than 64
// segments are refused.
Result<ArmIdView> ParseArmIdView(std::string_view id);

// Parses `id`. Fails (kInvalidArgument, naming the id and what is wrong) when it is not an ARM
// id path. A trailing '/' is tolerated (ids found inside bodies sometimes carry one); callers
// that need the canonical form check for it themselves.
Result<ArmId> ParseArmId(std::string_view id);

// The key of an ARM id: lower-cased, without a trailing '/'.
std::string NormalizeArmId(std::string_view id);

// The subscription a URL path or ARM id is about: the segment after its first "subscriptions"
// segment (any case), as written; "" when there is none. No allocation.
std::string_view SubscriptionOfPath(std::string_view path);

// True for the canonical 8-4-4-4-12 hexadecimal GUID form (either case).
bool IsGuid(std::string_view s);

}  // namespace atg

#endif  // ATG_COMMON_ARM_ID_H_
