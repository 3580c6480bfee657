#include "iac/plan_graph.h"

#include "graph/arm_id.h"

namespace atg::iac {
namespace {

bool IsArmLabel(std::string_view label) {
  return label == graph::label::kSubscription || label == graph::label::kResourceGroup ||
         label == graph::label::kResource || label == graph::label::kManagedIdentity ||
         label == graph::label::kRoleAssignment || label == graph::label::kRoleDefinition;
}

bool IsPrincipalLabel(std::string_view label) {
  return label == graph::label::kUser || label == graph::label::kGroup ||
         label == graph::label::kServicePrincipal;
}

}  // namespace

void PlanGraph::AddArm(graph::Node node) {
  arm_index.emplace(node.key, arm.size());
  arm.emplace_back();
  arm.back().node = std::move(node);
}

void PlanGraph::LinkChildren() {
  follows.resize(arm.size());
  principal_refs.resize(arm.size());
  children.assign(arm.size(), {});
  for (size_t i = 0; i < arm.size(); ++i) {
    for (const std::string& a : graph::ArmIdAncestors(arm[i].node.key)) {
      auto it = arm_index.find(a);
      if (it != arm_index.end()) {
        children[it->second].push_back(i);
        break;
      }
    }
  }
}

std::optional<size_t> PlanGraph::Resolve(std::string_view id) const {
  std::string key = graph::NormalizeArmId(id);
  if (auto it = arm_index.find(key); it != arm_index.end()) return it->second;
  for (const std::string& a : graph::ArmIdAncestors(key)) {
    auto it = arm_index.find(a);
    if (it == arm_index.end()) continue;
    const std::string& label = arm[it->second].node.label;
    if (label == graph::label::kResourceGroup || label == graph::label::kSubscription) {
      return std::nullopt;
    }
    return it->second;
  }
  return std::nullopt;
}

std::optional<size_t> PlanGraph::Find(const std::string& key) const {
  if (auto it = arm_index.find(key); it != arm_index.end()) return it->second;
  return std::nullopt;
}

std::vector<std::string> PlanGraph::TenantApiVersions(const std::string& lower_type) const {
  std::vector<std::string> out;
  if (const json::value* list = api_version_lists.if_contains(lower_type);
      list && list->is_array()) {
    for (const auto& v : list->as_array()) {
      if (v.is_string()) out.emplace_back(v.as_string());
    }
  } else if (auto newest = FindString(&api_versions, lower_type)) {
    out.emplace_back(*newest);
  }
  return out;
}

Result<PlanGraph> ReadPlanGraph(graph::GraphStore& store) {
  PlanGraph g;
  ATG_RETURN_IF_ERROR(store.ForEachNode({}, [&](graph::Node&& n) -> Status {
    if (IsArmLabel(n.label)) {
      g.AddArm(std::move(n));
    } else if (IsPrincipalLabel(n.label)) {
      g.principals.push_back(std::move(n));
    } else if (n.label == graph::label::kTenant) {
      auto p = n.Properties();
      if (p.ok() && p->is_object()) {
        if (const json::object* v = FindObject(&p->as_object(), "api_versions")) {
          g.api_versions = *v;
        }
        if (const json::object* v = FindObject(&p->as_object(), "api_version_lists")) {
          g.api_version_lists = *v;
        }
      }
    }
    return Status::Ok();
  }));
  for (size_t i = 0; i < g.principals.size(); ++i) {
    g.principal_index.emplace(g.principals[i].key, i);
  }
  g.follows.resize(g.arm.size());
  g.principal_refs.resize(g.arm.size());
  graph::EdgeFilter ef;
  ef.types = {std::string(graph::edge::kUses),       std::string(graph::edge::kUsesIdentity),
              std::string(graph::edge::kLogsTo),     std::string(graph::edge::kConnectedTo),
              std::string(graph::edge::kSecuredBy),  std::string(graph::edge::kMemberOf),
              std::string(graph::edge::kAssignedTo), std::string(graph::edge::kHasRole)};
  ATG_RETURN_IF_ERROR(store.ForEachEdge(ef, [&](graph::Edge&& e) -> Status {
    if (e.type == graph::edge::kMemberOf) {
      auto a = g.principal_index.find(e.from);
      auto b = g.principal_index.find(e.to);
      if (a != g.principal_index.end() && b != g.principal_index.end()) {
        g.member_of.emplace_back(a->second, b->second);
      }
      return Status::Ok();
    }
    auto from = g.arm_index.find(e.from);
    if (from == g.arm_index.end()) return Status::Ok();
    if (auto to = g.arm_index.find(e.to); to != g.arm_index.end()) {
      g.follows[from->second].push_back(to->second);
    } else if (auto p = g.principal_index.find(e.to); p != g.principal_index.end()) {
      g.principal_refs[from->second].push_back(p->second);
    }
    return Status::Ok();
  }));
  g.LinkChildren();
  return g;
}

}  // namespace atg::iac
