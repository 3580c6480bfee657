// What the project knows about ARM resource types, kept as data: the child resources ARM lists
// under each parent (and whether Resource Graph already carries them, or the parent's body
// inlines them), and a default API version per resource provider when the tenant's `providers`
// answer names none. Knowledge of ARM rather than of one module: the scanner lists children and
// reads with these versions; the IaC plan takes inlined children out of their parents' bodies and
// falls back to the same versions.
//
// Thread-safety: immutable data and pure functions.
#ifndef ATG_COMMON_ARM_TYPES_H_
#define ATG_COMMON_ARM_TYPES_H_

#include <string>
#include <string_view>
#include <vector>

namespace atg {

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

// Every child list known for `parent_type` (lower-cased).
std::vector<const ChildList*> ChildListsOf(std::string_view parent_type);

// A stable API version for list/GET calls on `lower_type` (e.g. "2024-05-01" for
// microsoft.network/*); a conservative default for unknown providers.
std::string DefaultApiVersion(std::string_view lower_type);

}  // namespace atg

#endif  // ATG_COMMON_ARM_TYPES_H_
