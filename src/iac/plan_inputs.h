// The plan's input stage: every value the user provides when deploying, named after the
// resource's symbol and the field (so run after iac/symbols.h AssignSymbols): secrets Azure never
// returns, public keys, and principal ids the identity map does not cover.
//
// Thread-safety: a pure function over its arguments.
#ifndef ATG_IAC_PLAN_INPUTS_H_
#define ATG_IAC_PLAN_INPUTS_H_

#include <vector>

#include "iac/plan.h"
#include "iac/plan_graph.h"
#include "iac/plan_rewrite.h"
#include "iac/secret_rules.h"

namespace atg::iac {

// What one planned resource needs from the user.
struct InputSlots {
  std::vector<SecretSlot> secrets;
  std::vector<SecretSlot> public_inputs;  // not secret (SSH public keys)
  std::vector<UnmappedSlot> unmapped;     // principal ids not in --identity-map
};

// Fills plan->inputs (sorted by name, unique among themselves and the symbols) and
// plan->unmapped_principals from `slots`, indexed like plan->resources. `g` names the unmapped
// principals in the descriptions.
void AssignInputs(const PlanGraph& g, const std::vector<InputSlots>& slots, Plan* plan);

}  // namespace atg::iac

#endif  // ATG_IAC_PLAN_INPUTS_H_
