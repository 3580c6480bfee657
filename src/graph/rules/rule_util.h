// Internal helpers shared by the rule files (not part of the graph module's public API).
#ifndef ATG_GRAPH_RULES_RULE_UTIL_H_
#define ATG_GRAPH_RULES_RULE_UTIL_H_

#include <string_view>

#include "common/json.h"
#include "graph/model.h"

namespace atg::graph::rules_internal {

// Adds from -> NormalizeArmId(id) when `id` is a string holding an ARM id and not `from`.
void AddArmEdge(const std::string& from, const json::value* id, std::string_view type,
                GraphFragment* out);

// obj[key].id, e.g. the "subnet": {"id": ...} pattern of ARM bodies. Null when absent.
const json::value* SubId(const json::object* obj, std::string_view key);

// The object at v, or null when v is null or not an object.
const json::object* AsObject(const json::value* v);

}  // namespace atg::graph::rules_internal

#endif  // ATG_GRAPH_RULES_RULE_UTIL_H_
