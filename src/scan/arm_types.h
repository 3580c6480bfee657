// What the scanner knows about ARM resource types, kept as data: the child resources it lists
// under each parent (and whether Resource Graph already carries them, or the parent's body
// inlines them), and a default API version per resource provider for list calls when the
// tenant's `providers` answer names none.
//
// Thread-safety: immutable data and pure functions.
#ifndef ATG_SCAN_ARM_TYPES_H_
#define ATG_SCAN_ARM_TYPES_H_

#include <string>
#include <string_view>
#include <vector>

namespace atg::scan {

struct ChildList {
  std::string_view parent_type;  // lower-cased
  std::string_view segment;      // ARM lists the children at "{parentId}/{segment}"
  std::string_view child_type;   // lower-cased full type
  // The parent property (under "properties") in which ARM inlines every child with its full
  // body; empty when ARM does not inline them.
  std::string_view inlined_property;
  // True when Resource Graph's Resources table has a full row per child.
  bool in_resource_graph = false;
};

// Every child list the scanner knows, for `parent_type` (lower-cased).
std::vector<const ChildList*> ChildListsOf(std::string_view parent_type);

// A stable API version for list/GET calls on `lower_type` (e.g. "2024-05-01" for
// microsoft.network/*); a conservative default for unknown providers.
std::string DefaultApiVersion(std::string_view lower_type);

// Fixed API versions of the calls the scanner makes.
inline constexpr std::string_view kSubscriptionsApiVersion = "2022-12-01";
inline constexpr std::string_view kResourcesApiVersion = "2021-04-01";
inline constexpr std::string_view kProvidersApiVersion = "2021-04-01";
inline constexpr std::string_view kResourceGraphApiVersion = "2021-03-01";
inline constexpr std::string_view kRoleAssignmentsApiVersion = "2022-04-01";
inline constexpr std::string_view kRoleDefinitionsApiVersion = "2022-04-01";
inline constexpr std::string_view kDiagnosticSettingsApiVersion = "2021-05-01-preview";

}  // namespace atg::scan

#endif  // ATG_SCAN_ARM_TYPES_H_
