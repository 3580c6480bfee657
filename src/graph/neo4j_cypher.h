// The Cypher vocabulary that the Neo4j store (neo4j_graph_store.h) and its scan sessions
// (neo4j_scan_session.h) share: the fixed labels and relationship types that may appear in
// query text, the fragments built from them, how a graph node becomes a parameter row and a
// record becomes a node, and the batched deletion of a generation. Everything else a query
// needs travels as a Bolt parameter; no Cypher text is ever built from data.
//
// Internal to the graph module. Thread-safety: the functions are reentrant; a BoltConnection
// argument is used by one thread at a time (bolt_connection.h).
#ifndef ATG_GRAPH_NEO4J_CYPHER_H_
#define ATG_GRAPH_NEO4J_CYPHER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "graph/bolt_connection.h"
#include "graph/model.h"
#include "graph/packstream.h"

namespace atg::graph::neo4j {

using packstream::MapEntry;
using packstream::Value;

// The model's labels (model.h), the only ones that reach Cypher text.
extern const std::vector<std::string_view> kModelLabels;
// The model's edge types (model.h), the only relationship types that reach Cypher text.
extern const std::vector<std::string_view> kEdgeTypes;
bool IsEdgeType(std::string_view type);

// Parameter values.
Value Str(std::string_view s);
Value StrList(const std::vector<std::string>& values, bool lower);
Value Params(std::vector<MapEntry> entries);
// A string field's text; empty for any other value (a record is input from the network).
std::string Text(const Value& v);
// Field `i` of a record, or null when the server sent fewer.
const Value& At(const std::vector<Value>& record, size_t i);

// Cypher that gives node variable `v` the Neo4j label its `label` property names.
std::string SetModelLabel(std::string_view v);
// Cypher that removes every model label from node variable `v`.
std::string RemoveModelLabels(std::string_view v);
// ScanScope::Covers as a Cypher expression over node `v`; parameters $arm, $directory and the
// lower-cased lists $subs, $rgs, $types.
std::string Covered(std::string_view v);

// The RETURN columns that ReadNode reads, over node variable `n`.
extern const char kNodeReturn[];
Node ReadNode(const std::vector<Value>& record);
// A digest of everything a reader sees of a node, stored as `h`: the history compares versions
// of a node across generations by it instead of reading every body of every generation.
Result<std::string> NodeDigest(const Node& n);
// The parameter row the write queries UNWIND for a node (its digest included). Errors as
// NodeDigest (common/sha256.h).
Result<Value> NodeRow(const Node& n);
Value EdgeRow(const Edge& e);

// Runs a query and returns its first record (empty when there is none).
Result<std::vector<Value>> RunOne(BoltConnection& c, const std::string& q, Value params);

// Deletes every node and relationship of generation `gen` of `tenant`, `batch` per
// transaction: first the relationships (by their source nodes, in key order, so no batch holds a
// hub's whole fan-in), then the nodes.
Status DeleteGeneration(BoltConnection& c, const std::string& tenant, int64_t gen, size_t batch);

}  // namespace atg::graph::neo4j

#endif  // ATG_GRAPH_NEO4J_CYPHER_H_
