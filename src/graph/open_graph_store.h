// Chooses and opens the GraphStore backend for a tenant from the settings, so that callers (the
// scanner, the IaC generator, `atg graph`, the service) never name a backend.
//
// Thread-safety: reentrant.
#ifndef ATG_GRAPH_OPEN_GRAPH_STORE_H_
#define ATG_GRAPH_OPEN_GRAPH_STORE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.h"
#include "graph/graph_store.h"
#include "graph/neo4j_graph_store.h"

namespace atg::graph {

// The Neo4j options that NEO4J_URI (trimmed; "" = not configured), NEO4J_PORT, NEO4J_USER
// (default "neo4j") and NEO4J_PASSWORD give: the one reading of these settings, used by the
// store, `atg serve`'s /health and `atg doctor`. kInvalidArgument naming the variable for a bad
// NEO4J_PORT or a URI the Bolt client cannot use (not bolt:// or neo4j://, TLS, bad host or
// port); the message never shows the password. The password is registered for log redaction.
Result<Neo4jGraphStoreOptions> Neo4jOptionsFromSettings(const Settings& settings);

struct OpenGraphStoreOptions {
  // False for readers: a tenant without a graph yields kNotFound saying to run `atg scan`.
  bool create_if_missing = true;
};

// The Neo4j store (neo4j_graph_store.h) when NEO4J_URI is set (with NEO4J_USER, default
// "neo4j", NEO4J_PASSWORD, and NEO4J_PORT, the port when the URI names none, default 7687);
// otherwise the embedded SQLite store under DataDir(settings) (ATG_DATA_DIR).
// Errors: kInvalidArgument for a bad tenant id, data directory, URI or NEO4J_PORT, kNotFound as
// above; a Neo4j that cannot be reached or refuses the login is "Database connection failed: ..."
// naming the host and the variables to check (never the password).
Result<std::unique_ptr<GraphStore>> OpenGraphStore(const Settings& settings,
                                                   std::string_view tenant_id,
                                                   const OpenGraphStoreOptions& options = {});

// ATG_GRAPH_HISTORY: how many complete scans each tenant's history keeps (default 5, 1..1000).
Result<int> GraphHistory(const Settings& settings);

// "neo4j" when NEO4J_URI is set, else "sqlite": the backend OpenGraphStore opens.
std::string GraphBackendName(const Settings& settings);

// The tenants that have a graph in that backend (at least one committed scan), sorted. Errors
// as OpenGraphStore.
Result<std::vector<std::string>> ListGraphTenants(const Settings& settings);

}  // namespace atg::graph

#endif  // ATG_GRAPH_OPEN_GRAPH_STORE_H_
