// PlanGraphs built by hand for the plan stages' unit tests.
#ifndef ATG_IAC_PLAN_GRAPH_TESTING_H_
#define ATG_IAC_PLAN_GRAPH_TESTING_H_

#include <string>

#include "common/arm_id.h"
#include "common/strings.h"
#include "iac/plan_graph.h"

namespace atg::iac::testing {

inline constexpr const char* kGraphSub = "00000000-0000-0000-0000-0000000000aa";

inline std::string GroupId(const std::string& rg) {
  return std::string("/subscriptions/") + kGraphSub + "/resourceGroups/" + rg;
}

// Adds the ARM node `id` with `label` and a body, its fields derived from the id as the scan
// writes them; returns its index.
inline size_t AddNode(PlanGraph* g, std::string_view label, const std::string& id,
                      const std::string& properties = "{}") {
  graph::Node n;
  n.key = NormalizeArmId(id);
  n.label = std::string(label);
  n.original_id = id;
  n.properties = properties;
  auto parsed = ParseArmId(id);
  if (parsed.ok()) {
    n.type = ToLower(parsed->type);
    n.name = parsed->name;
    n.subscription_id = ToLower(parsed->subscription_id);
    n.resource_group = ToLower(parsed->resource_group);
  }
  g->AddArm(std::move(n));
  return g->arm.size() - 1;
}

}  // namespace atg::iac::testing

#endif  // ATG_IAC_PLAN_GRAPH_TESTING_H_
