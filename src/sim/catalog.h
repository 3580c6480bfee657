// The resource types the simulator knows: their API versions, where Azure lists them and how
// Resource Graph shows them. Kept as data so the generator, the ARM/ARG endpoints, the
// `providers` endpoint and (later) the scanner agree on one table.
//
// Thread-safety: the catalog is immutable static data; safe from any thread.
#ifndef ATG_SIM_CATALOG_H_
#define ATG_SIM_CATALOG_H_

#include <string>
#include <string_view>
#include <vector>

namespace atg::sim {

struct ResourceTypeInfo {
  std::string type;  // canonical casing, e.g. "Microsoft.Network/virtualNetworks/subnets"
  // Newest first; stable versions before previews. The first is what the generator writes.
  std::vector<std::string> api_versions;
  // True when Resource Graph's `Resources` table has a row per resource of this type. Subnets,
  // NSG rules, role assignments and diagnostic settings are not rows there.
  bool in_resource_graph = true;
  // Child types are listed by ARM at "{parentId}/{lastTypeSegment}".
  bool child = false;
  // When ARM inlines children into the parent's body, the parent property that holds them
  // (e.g. "subnets" in a virtual network's properties); empty otherwise.
  std::string inlined_in_parent_property;
  // An extension type lives under "{scopeId}/providers/{type}/{name}" (role assignments,
  // diagnostic settings).
  bool extension = false;
  // True when DESIGN.md's `common` list says people configure diagnostic settings on it.
  bool diagnostic_settings_common = false;
};

// Every known type, in a fixed order.
const std::vector<ResourceTypeInfo>& ResourceTypeCatalog();

// Case-insensitive look-up; nullptr when unknown.
const ResourceTypeInfo* FindResourceType(std::string_view type);

}  // namespace atg::sim

#endif  // ATG_SIM_CATALOG_H_
