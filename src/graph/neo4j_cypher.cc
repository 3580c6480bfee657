#include "graph/neo4j_cypher.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/sha256.h"
#include "common/strings.h"

namespace atg::graph::neo4j {

// The only labels and relationship types that ever reach Cypher text; everything else travels
// as a parameter.
const std::vector<std::string_view> kModelLabels = {label::kTenant,
                                                    label::kSubscription,
                                                    label::kResourceGroup,
                                                    label::kResource,
                                                    label::kUser,
                                                    label::kGroup,
                                                    label::kServicePrincipal,
                                                    label::kManagedIdentity,
                                                    label::kRoleAssignment,
                                                    label::kRoleDefinition,
                                                    label::kTag,
                                                    label::kRegion};
const std::vector<std::string_view> kEdgeTypes = {
    edge::kContains,  edge::kReferences,   edge::kUses,       edge::kConnectedTo,
    edge::kSecuredBy, edge::kUsesIdentity, edge::kAssignedTo, edge::kHasRole,
    edge::kMemberOf,  edge::kTaggedWith,   edge::kLocatedIn,  edge::kLogsTo};

bool IsEdgeType(std::string_view t) {
  return std::find(kEdgeTypes.begin(), kEdgeTypes.end(), t) != kEdgeTypes.end();
}

Value Str(std::string_view s) { return Value::String(std::string(s)); }

Value StrList(const std::vector<std::string>& values, bool lower) {
  std::vector<Value> items;
  items.reserve(values.size());
  for (const auto& v : values) items.push_back(Str(lower ? ToLower(v) : v));
  return Value::List(std::move(items));
}

std::string Text(const Value& v) {
  return v.type() == Value::Type::kString ? v.as_string() : std::string();
}

Value Params(std::vector<MapEntry> entries) { return Value::Map(std::move(entries)); }

// Field `i` of a record, or null when the server sent fewer (it is input from the network).
const Value& At(const std::vector<Value>& record, size_t i) {
  static const Value kNull;
  return i < record.size() ? record[i] : kNull;
}

// Cypher that gives node `v` the Neo4j label its `label` property names (one of kModelLabels).
std::string SetModelLabel(std::string_view v) {
  std::string s;
  for (std::string_view l : kModelLabels) {
    s += fmt::format(
        "FOREACH (_{1} IN CASE WHEN {0}.label = '{1}' THEN [1] ELSE [] END | SET {0}:{1}) ", v, l);
  }
  return s;
}

std::string RemoveModelLabels(std::string_view v) {
  std::string s = fmt::format("REMOVE {}", v);
  for (std::string_view l : kModelLabels) s += fmt::format(":{}", l);
  return s + " ";
}

// ScanScope::Covers as a Cypher expression over node `v`; parameters $arm, $directory and the
// lower-cased lists $subs, $rgs, $types.
std::string Covered(std::string_view v) {
  return fmt::format(
      "(CASE WHEN {0}.label IN ['Tenant', 'Tag', 'Region'] THEN false "
      "WHEN {0}.label IN ['User', 'Group', 'ServicePrincipal'] THEN $directory "
      "ELSE $arm AND (size($subs) = 0 OR toLower({0}.subscription_id) IN $subs) "
      "AND (size($rgs) = 0 OR toLower({0}.resource_group) IN $rgs) "
      "AND (size($types) = 0 OR toLower({0}.type) IN $types) END)",
      v);
}

const char kNodeReturn[] =
    "n.key, n.label, n.type, n.name, n.original_id, n.subscription_id, n.resource_group, "
    "n.location, n.properties";

Node ReadNode(const std::vector<Value>& r) {
  Node n;
  n.key = Text(At(r, 0));
  n.label = Text(At(r, 1));
  n.type = Text(At(r, 2));
  n.name = Text(At(r, 3));
  n.original_id = Text(At(r, 4));
  n.subscription_id = Text(At(r, 5));
  n.resource_group = Text(At(r, 6));
  n.location = Text(At(r, 7));
  n.properties = At(r, 8).type() == Value::Type::kString ? Text(At(r, 8)) : "{}";
  return n;
}

// A digest of everything a reader sees of a node, stored as `h`: the history compares versions
// of a node across generations by it instead of reading every body of every generation.
Result<std::string> NodeDigest(const Node& n) {
  Sha256Hasher h;
  for (const std::string* f : {&n.key, &n.label, &n.type, &n.name, &n.original_id,
                               &n.subscription_id, &n.resource_group, &n.location}) {
    h.Update(*f);
    h.Update(std::string_view("\0", 1));
  }
  h.Update(n.properties.empty() ? std::string_view("{}") : std::string_view(n.properties));
  auto digest = h.Finish();
  if (!digest.ok()) return digest.status();
  return HexEncode(digest->substr(0, 16));
}

Result<Value> NodeRow(const Node& n) {
  auto digest = NodeDigest(n);
  if (!digest.ok()) return digest.status();
  return Value::Map({{"key", Str(n.key)},
                     {"h", Str(*digest)},
                     {"label", Str(n.label)},
                     {"type", Str(n.type)},
                     {"name", Str(n.name)},
                     {"original_id", Str(n.original_id)},
                     {"subscription_id", Str(n.subscription_id)},
                     {"resource_group", Str(n.resource_group)},
                     {"location", Str(n.location)},
                     {"properties", Str(n.properties.empty() ? "{}" : n.properties)}});
}

Value EdgeRow(const Edge& e) {
  return Value::Map({{"from", Str(e.from)},
                     {"to", Str(e.to)},
                     {"properties", e.properties.empty() ? Value() : Str(e.properties)}});
}

// Runs a query and returns its first record (empty when there is none).
Result<std::vector<Value>> RunOne(BoltConnection& c, const std::string& q, Value params) {
  auto r = c.Run(q, std::move(params));
  if (!r.ok()) return r.status();
  if (r->records.empty()) return std::vector<Value>();
  return std::move(r->records.front());
}

// Deletes every node and relationship of generation `gen` of `tenant`, a batch per transaction:
// first the relationships (by their source nodes, in key order, so no batch holds a hub's whole
// fan-in), then the nodes.
Status DeleteGeneration(BoltConnection& c, const std::string& tenant, int64_t gen, size_t batch) {
  std::string after;
  while (true) {
    auto row = RunOne(c,
                      "MATCH (n:AtgNode {tenant: $tenant, gen: $gen}) WHERE n.key > $after "
                      "WITH n ORDER BY n.key LIMIT $limit "
                      "OPTIONAL MATCH (n)-[r]->() DELETE r "
                      "RETURN max(n.key), count(DISTINCT n)",
                      Params({{"tenant", Str(tenant)},
                              {"gen", Value::Int(gen)},
                              {"after", Str(after)},
                              {"limit", Value::Int(static_cast<int64_t>(batch))}}));
    if (!row.ok()) return row.status();
    if (row->size() < 2 || At(*row, 1).as_int() == 0) break;
    after = Text(At(*row, 0));
    if (At(*row, 1).as_int() < static_cast<int64_t>(batch)) break;
  }
  while (true) {
    auto row = RunOne(
        c,
        "MATCH (n:AtgNode {tenant: $tenant, gen: $gen}) WHERE n.key >= '' WITH n LIMIT $limit "
        "DETACH DELETE n RETURN count(*)",
        Params({{"tenant", Str(tenant)},
                {"gen", Value::Int(gen)},
                {"limit", Value::Int(static_cast<int64_t>(batch))}}));
    if (!row.ok()) return row.status();
    if (row->empty() || At(*row, 0).as_int() < static_cast<int64_t>(batch)) break;
  }
  return Status::Ok();
}

}  // namespace atg::graph::neo4j
