// Parsing of ARM resource ids, the one place that knows their grammar:
//
//   /subscriptions/{guid}[/resourceGroups/{rg}]
//       [/providers/{Namespace}/{type}/{name}[/{childType}/{childName}]...]
//       [/providers/{Namespace}/{type}/{name}...]      (extension resources, any depth)
//
// Segment keywords ("subscriptions", "resourceGroups", "providers") match case-insensitively,
// as ARM does.
//
// Thread-safety: pure functions.
#ifndef ATG_SIM_ARM_ID_H_
#define ATG_SIM_ARM_ID_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace atg::sim {

// A parsed id. The string_views point into the parsed string, which must outlive this value.
struct ArmId {
  std::string_view subscription_id;
  std::string_view resource_group;  // empty when the id is not inside a resource group
  // Full type of the last provider section, e.g. "Microsoft.Network/virtualNetworks/subnets";
  // empty for a subscription or resource group id.
  std::string type;
  std::string_view name;  // the last segment (the resource group's name for an RG id)
  // The id before the last "/providers/": the subscription, resource group or resource this one
  // lives in. Empty for subscription and resource group ids.
  std::string_view scope;
  // For a child resource (a provider section with more than one type segment) the parent
  // resource's id; empty otherwise.
  std::string_view parent;
  bool scope_is_resource = false;  // true for extension resources on a resource

  bool is_subscription() const { return type.empty() && resource_group.empty(); }
  bool is_resource_group() const { return type.empty() && !resource_group.empty(); }
};

// Errors say which part of the id is malformed, e.g. "segment 2 ('abc') is not a subscription
// GUID".
Result<ArmId> ParseArmId(std::string_view id);
inline Result<ArmId> ParseArmId(const char* id) { return ParseArmId(std::string_view(id)); }
// The result would point into a destroyed temporary.
Result<ArmId> ParseArmId(std::string&& id) = delete;

// True for the canonical 8-4-4-4-12 hexadecimal GUID form (either case).
bool IsGuid(std::string_view s);

}  // namespace atg::sim

#endif  // ATG_SIM_ARM_ID_H_
