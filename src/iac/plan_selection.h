// The plan's selection stage: the --subscription / --resource-group / --type filters, with the
// closure of what the kept resources need pulled in, as the scan does: their parents, scopes and
// resource groups always; with a filter also what their bodies reference, what their edges
// point at, and their children and extensions (a resource group pulled in as a container does
// not bring its other resources). Never-deployed candidates are never kept.
//
// Thread-safety: a pure function over its arguments.
#ifndef ATG_IAC_PLAN_SELECTION_H_
#define ATG_IAC_PLAN_SELECTION_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "iac/plan_bodies.h"
#include "iac/plan_graph.h"

namespace atg::iac {

// Lower-cased filters; empty lists match everything.
struct SelectionFilters {
  std::vector<std::string> subscriptions;
  std::vector<std::string> resource_groups;
  std::vector<std::string> types;

  bool any() const { return !subscriptions.empty() || !resource_groups.empty() || !types.empty(); }
};

// Per candidate of `g`: 1 when kept. Every kept candidate's body is prepared by `bodies` (the
// closure follows the ids in it). `never[i]` non-empty excludes candidate i.
Result<std::vector<char>> SelectResources(PlanGraph& g, const SelectionFilters& filters,
                                          const std::vector<std::string>& never, BodyStage& bodies);

}  // namespace atg::iac

#endif  // ATG_IAC_PLAN_SELECTION_H_
