// Exports a tenant's graph from any GraphStore, streamed: nodes and edges are written as they
// are read, so memory does not grow with the graph.
//
// Formats:
//  * json    one document {"tenant_id", "nodes": [...], "edges": [...]}
//  * ndjson  one object per line: {"kind":"node", ...} for every node, then
//            {"kind":"edge", ...} for every edge
//  * graphml GraphML 1.0 XML, as Gephi, yEd, Cytoscape and networkx read it: node data keys
//            label (the display name, which those tools show), kind (User, Resource, ...),
//            type, name, original_id, subscription_id, resource_group, location, properties
//            (the full body as a JSON string); edge data keys label and type (both the edge
//            type) and properties.
//  * dot     Graphviz DOT, a directed multigraph: node id the key, attributes label (display
//            name), kind, type, subscription_id, resource_group, location; edges labelled with
//            their type. No bodies: DOT is for drawing, not for data.
// The Neo4j bulk-import layout writes a directory instead: see graph/export_neo4j_csv.h.
// A node object is {"key", "label", "type", "name", "original_id", "subscription_id",
// "resource_group", "location", "properties": {full body}}; an edge {"from", "to", "type",
// "properties"?}.
//
// Thread-safety: reentrant; the store's own guarantees apply.
#ifndef ATG_GRAPH_EXPORT_H_
#define ATG_GRAPH_EXPORT_H_

#include <cstdint>
#include <ostream>
#include <string_view>

#include "common/json.h"
#include "graph/graph_store.h"

namespace atg::graph {

enum class ExportFormat { kJson, kNdjson, kGraphml, kDot, kNeo4jCsv };

// "json", "ndjson", "graphml", "dot", "neo4j-csv" (any case); kInvalidArgument naming the
// accepted values otherwise.
Result<ExportFormat> ParseExportFormat(std::string_view name);

// True for formats written as one stream (ExportGraph); false for kNeo4jCsv (a directory).
bool IsStreamFormat(ExportFormat format);

// The name a node is shown by: its display name, or its key when it has none.
std::string_view DisplayName(const Node& node);

struct ExportCounts {
  int64_t nodes = 0;
  int64_t edges = 0;
};

// Writes the whole graph of `store` to `out` in a stream format. Fails on a store error, when
// `out` fails, or (kInvalidArgument) for a format that is not a stream format.
Result<ExportCounts> ExportGraph(GraphStore& store, ExportFormat format, std::ostream& out);

// The JSON object of one node / edge, as written by the json and ndjson formats.
json::object NodeToJson(const Node& node);
json::object EdgeToJson(const Edge& edge);

}  // namespace atg::graph

#endif  // ATG_GRAPH_EXPORT_H_
