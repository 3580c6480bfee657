// The plan's order stage: resources sorted so that dependencies come first (ties by key), a
// reference dropped where it closes a cycle (kept as a literal id in the body and reported),
// never a parent, scope or resource-group edge (iac/plan_cycles.h does the graph work).
//
// Thread-safety: a pure function over its arguments.
#ifndef ATG_IAC_PLAN_ORDER_H_
#define ATG_IAC_PLAN_ORDER_H_

#include <string>
#include <utility>
#include <vector>

#include "iac/plan.h"
#include "iac/plan_cycles.h"
#include "iac/plan_inputs.h"

namespace atg::iac {

// Reorders `resources` and `slots` (indexed alike) dependencies first; `deps[k]` lists what
// resource k depends on (indexes before the reordering). Sets every resource's depends_on, and
// moves the parent, scope and reference indexes to the new order, dropping the references of
// broken dependencies. Appends the broken (from key, to key) pairs, sorted, to `broken_cycles`.
void OrderResources(const std::vector<std::vector<Dependency>>& deps,
                    std::vector<PlannedResource>* resources, std::vector<InputSlots>* slots,
                    std::vector<std::pair<std::string, std::string>>* broken_cycles);

}  // namespace atg::iac

#endif  // ATG_IAC_PLAN_ORDER_H_
