// Exports a tenant's graph from any GraphStore, streamed: nodes and edges are written as they
// are read, so memory does not grow with the graph.
//
// Formats:
//  * json    one document {"tenant_id", "nodes": [...], "edges": [...]}
//  * ndjson  one object per line: {"kind":"node", ...} for every node, then
//            {"kind":"edge", ...} for every edge
//  * graphml GraphML 1.0 XML; node data keys label, type, name, original_id, subscription_id,
//            resource_group, location, properties (the full body as a JSON string); edge data
//            keys type and properties.
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

enum class ExportFormat { kJson, kNdjson, kGraphml };

// "json", "ndjson", "graphml" (any case); kInvalidArgument naming the accepted values otherwise.
Result<ExportFormat> ParseExportFormat(std::string_view name);

struct ExportCounts {
  int64_t nodes = 0;
  int64_t edges = 0;
};

// Writes the whole graph of `store` to `out`. Fails on a store error or when `out` fails.
Result<ExportCounts> ExportGraph(GraphStore& store, ExportFormat format, std::ostream& out);

// The JSON object of one node / edge, as written by the json and ndjson formats.
json::object NodeToJson(const Node& node);
json::object EdgeToJson(const Edge& edge);

}  // namespace atg::graph

#endif  // ATG_GRAPH_EXPORT_H_
