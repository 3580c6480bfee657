#include "graph/rules/rule_util.h"
#include "graph/rules/rules.h"

namespace atg::graph {

void SecuredByRule(const ArmBody& r, GraphFragment* out) {
  if (r.type != "microsoft.network/networkinterfaces" &&
      r.type != "microsoft.network/virtualnetworks/subnets") {
    return;
  }
  rules_internal::AddArmEdge(r.key, rules_internal::SubId(r.properties, "networkSecurityGroup"),
                             edge::kSecuredBy, out);
}

}  // namespace atg::graph
