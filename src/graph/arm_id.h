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

#include "common/arm_id.h"
#include "common/json.h"

namespace atg::graph {

// The id grammar lives in common/arm_id.h (the simulator parses ids too); the graph uses it
// under its own namespace.
using ::atg::ArmId;
using ::atg::NormalizeArmId;
using ::atg::ParseArmId;

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
