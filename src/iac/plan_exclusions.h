// The plan's first stage: what can never be deployed, whatever the selection: subscriptions
// (the target exists), built-in and tenant-level role definitions (they exist in every tenant),
// OS disks a virtual machine creates from its image, and everything in a managed resource group
// (its owner creates it).
//
// Thread-safety: a pure function.
#ifndef ATG_IAC_PLAN_EXCLUSIONS_H_
#define ATG_IAC_PLAN_EXCLUSIONS_H_

#include <string>
#include <vector>

#include "iac/plan_graph.h"

namespace atg::iac {

// Per candidate of `g`: why it is never deployed, or "" when it may be.
std::vector<std::string> NeverDeployed(const PlanGraph& g);

}  // namespace atg::iac

#endif  // ATG_IAC_PLAN_EXCLUSIONS_H_
