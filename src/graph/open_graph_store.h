// Chooses and opens the GraphStore backend for a tenant from the settings, so that callers (the
// scanner, the IaC generator, `atg graph`, the service) never name a backend.
//
// Thread-safety: reentrant.
#ifndef ATG_GRAPH_OPEN_GRAPH_STORE_H_
#define ATG_GRAPH_OPEN_GRAPH_STORE_H_

#include <memory>
#include <string_view>

#include "common/config.h"
#include "graph/graph_store.h"

namespace atg::graph {

struct OpenGraphStoreOptions {
  // False for readers: a tenant without a graph yields kNotFound saying to run `atg scan`.
  bool create_if_missing = true;
};

// The embedded SQLite store under DataDir(settings) (ATG_DATA_DIR). When NEO4J_URI is set the
// Neo4j backend will be chosen; until it exists a warning is logged and SQLite is used.
// Errors: kInvalidArgument for a bad tenant id or data directory, kNotFound as above.
Result<std::unique_ptr<GraphStore>> OpenGraphStore(const Settings& settings,
                                                   std::string_view tenant_id,
                                                   const OpenGraphStoreOptions& options = {});

}  // namespace atg::graph

#endif  // ATG_GRAPH_OPEN_GRAPH_STORE_H_
