#include "common/strings.h"
#include "graph/rules/rules.h"

namespace atg::graph {

namespace {

std::string MemberKey(std::string_view id, std::string_view odata_type, const RuleContext& ctx) {
  std::string t = ToLower(odata_type);
  if (t == "#microsoft.graph.user") return UserKey(id);
  if (t == "#microsoft.graph.group") return GroupKey(id);
  if (t == "#microsoft.graph.serviceprincipal") return ServicePrincipalKey(id);
  if (ctx.resolve_directory_object) {
    if (auto key = ctx.resolve_directory_object(id)) return *key;
  }
  return DirectoryObjectKey(id);
}

}  // namespace

void MemberOfRule(const json::object& group, const RuleContext& ctx, GraphFragment* out) {
  auto group_id = FindString(&group, "id");
  const json::array* members = FindArray(&group, "members");
  if (!group_id || members == nullptr) return;
  const std::string group_key = GroupKey(*group_id);
  for (const auto& m : *members) {
    std::string key;
    if (m.is_string()) {
      key = MemberKey(m.get_string(), "", ctx);
    } else if (m.is_object()) {
      auto id = FindString(&m.get_object(), "id");
      if (!id) continue;
      key = MemberKey(*id, FindString(&m.get_object(), "@odata.type").value_or(""), ctx);
    } else {
      continue;
    }
    if (key == group_key) continue;
    out->edges.push_back(MakeEdge(std::move(key), group_key, edge::kMemberOf));
  }
}

}  // namespace atg::graph
