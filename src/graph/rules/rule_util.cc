#include "graph/rules/rule_util.h"

#include "graph/arm_id.h"

namespace atg::graph::rules_internal {

void AddArmEdge(const std::string& from, const json::value* id, std::string_view type,
                GraphFragment* out) {
  if (id == nullptr || !id->is_string()) return;
  std::string_view s = id->get_string();
  if (!LooksLikeArmId(s)) return;
  std::string to = NormalizeArmId(s);
  if (to == from) return;
  out->edges.push_back(MakeEdge(from, std::move(to), type));
}

const json::object* AsObject(const json::value* v) {
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

const json::value* SubId(const json::object* obj, std::string_view key) {
  return Find(AsObject(Find(obj, key)), "id");
}

}  // namespace atg::graph::rules_internal
