// The plan's principal stage: the Entra users, groups and service principals to emit. Without a
// filter all of them; with one, those the kept resources point at (role assignees, identities)
// and the members of kept groups. Managed identities' service principals are Azure's to create.
//
// Thread-safety: a pure function over its arguments.
#ifndef ATG_IAC_PLAN_PRINCIPALS_H_
#define ATG_IAC_PLAN_PRINCIPALS_H_

#include <map>
#include <string>
#include <vector>

#include "iac/plan.h"
#include "iac/plan_graph.h"

namespace atg::iac {

// Appends the planned principals (with their group members) to plan->principals and the
// principals left out to plan->skipped. `kept` is the selection's result; `identity_map` maps
// lower-cased source object ids to target ids.
void PlanPrincipals(const PlanGraph& g, const std::vector<char>& kept, bool filtered,
                    const std::map<std::string, std::string>& identity_map, Plan* plan);

}  // namespace atg::iac

#endif  // ATG_IAC_PLAN_PRINCIPALS_H_
