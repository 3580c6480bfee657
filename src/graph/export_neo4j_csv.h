// Exports a tenant's graph in the layout `neo4j-admin database import full` reads, so that a
// large graph goes into a fresh Neo4j database at bulk-load speed instead of through Bolt:
//
//   DIR/nodes.csv          key:ID,:LABEL,name,type,original_id,subscription_id,
//                          resource_group,location,properties
//   DIR/relationships.csv  :START_ID,:END_ID,:TYPE,properties
//
// One file per kind with the label and type as columns (neo4j-admin accepts both layouts; one
// file streams in one pass). The node key is the import id; `properties` is the body as a JSON
// string. Every non-empty field is quoted, inner quotes doubled (RFC 4180); a field may hold a
// line break, hence --multiline-fields=true in the import command.
//
// Thread-safety: reentrant; the store's own guarantees apply.
#ifndef ATG_GRAPH_EXPORT_NEO4J_CSV_H_
#define ATG_GRAPH_EXPORT_NEO4J_CSV_H_

#include <string>

#include "graph/export.h"
#include "graph/graph_store.h"

namespace atg::graph {

struct Neo4jCsvExport {
  ExportCounts counts;
  // The neo4j-admin command line that imports the directory into database `neo4j`, with the
  // paths as given to ExportNeo4jCsv.
  std::string import_command;
};

// Writes the graph of `store` into directory `dir`, which must not exist or be empty. The files
// are written into a sibling staging directory and moved into place at the end, so a failed
// export leaves `dir` as it was. kAlreadyExists when `dir` holds files; kIoError on a write
// failure; a store error as is.
Result<Neo4jCsvExport> ExportNeo4jCsv(GraphStore& store, const std::string& dir);

}  // namespace atg::graph

#endif  // ATG_GRAPH_EXPORT_NEO4J_CSV_H_
