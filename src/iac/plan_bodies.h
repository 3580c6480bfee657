// The plan's body stage: a candidate's deployable top-level fields (sku, kind, identity, plan,
// tags, zones, managedBy, extendedLocation, properties), its API version, read-only fields
// removed by data rules (iac/readonly_rules.h), the body fitted to that version's Azure schema
// (iac/schema_fit.h), compute names shaped (iac/compute_rules.h), secrets lifted out
// (iac/secret_rules.h), and the ids it holds collected for the reference stage.
//
// Thread-safety: not thread-safe (one per BuildPlan; it gathers report notes).
#ifndef ATG_IAC_PLAN_BODIES_H_
#define ATG_IAC_PLAN_BODIES_H_

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "iac/plan_graph.h"
#include "iac/schema_fit.h"

namespace atg::iac {

class BodyStage {
 public:
  explicit BodyStage(const PlanGraph& graph);

  // Fills c's type, api_version, location_settable, body, secrets, public_inputs and refs from
  // its node, once (later calls return at once). Fails only when the node's stored properties
  // do not parse.
  Status Prepare(Candidate* c);

  // Report lines: how bodies were fitted to the schemas, then the compute names changed.
  std::vector<std::string> Notes() const;

 private:
  const PlanGraph& graph_;
  FitNotes fit_notes_;
  std::vector<std::string> shape_notes_;  // compute names changed to ones Azure accepts
};

// Children emitted on their own leave their parent's inlined arrays (a virtual network's
// subnets, a security group's rules): removes from c's body every inlined child for which
// `emitted(child key)` holds, and collects c's refs again when anything was inlined.
void RemoveInlinedChildren(Candidate* c, const std::function<bool(const std::string&)>& emitted);

}  // namespace atg::iac

#endif  // ATG_IAC_PLAN_BODIES_H_
