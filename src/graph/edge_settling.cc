#include "graph/edge_settling.h"

#include "common/json.h"
#include "graph/arm_id.h"
#include "graph/model.h"

namespace atg::graph {

std::vector<EndpointCandidate> EndpointCandidates(const std::string& key,
                                                  const std::string& other_end) {
  std::vector<EndpointCandidate> out = {{key, false}};
  if (IsDirectoryObjectPlaceholder(key)) {
    std::string id = key.substr(std::string_view("/directoryObjects/").size());
    for (std::string k : {UserKey(id), GroupKey(id), ServicePrincipalKey(id)}) {
      out.push_back({std::move(k), false});
    }
    return out;
  }
  auto parsed = ParseArmId(key);
  if (!parsed.ok()) return out;
  if (parsed->type == "microsoft.authorization/roledefinitions") {
    out.push_back({"/providers/microsoft.authorization/roledefinitions/" + parsed->name, false});
    if (auto other = ParseArmId(other_end); other.ok() && !other->subscription_id.empty()) {
      out.push_back({"/subscriptions/" + other->subscription_id +
                         "/providers/microsoft.authorization/roledefinitions/" + parsed->name,
                     false});
    }
    return out;
  }
  ArmId cur = std::move(parsed.value());
  while (cur.names.size() > 1) {
    std::string parent = NormalizeArmId(cur.parent_id);
    out.push_back({parent, true});
    auto next = ParseArmId(parent);
    if (!next.ok()) break;
    cur = std::move(next.value());
  }
  return out;
}

std::string WithVia(std::string_view properties, std::string_view original_target) {
  json::object o;
  if (auto parsed = ParseJson(properties); parsed.ok() && parsed->is_object()) {
    o = std::move(parsed->get_object());
  }
  o["via"] = original_target;
  return json::serialize(o);
}

}  // namespace atg::graph
