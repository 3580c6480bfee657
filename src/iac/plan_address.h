// How the emitters address a planned resource, derived once from its target id so that no
// emitter parses ids: the name segments an ARM template names it by, the id it sits directly
// below, and the literal scope of an extension whose scope is not emitted.
//
// Thread-safety: pure functions.
#ifndef ATG_IAC_PLAN_ADDRESS_H_
#define ATG_IAC_PLAN_ADDRESS_H_

#include "iac/plan.h"

namespace atg::iac {

// Sets r->names, r->parent_id and r->literal_scope from r->id, r->name, r->arm_name,
// r->is_resource_group and r->scope (set those first). BuildPlan calls it for every resource;
// plans built by hand (tests, benchmarks) call it too. An id that does not parse falls back to
// the names in r->arm_name (or r->name) and to the resource group's or subscription's id.
void DeriveAddress(PlannedResource* r);

}  // namespace atg::iac

#endif  // ATG_IAC_PLAN_ADDRESS_H_
