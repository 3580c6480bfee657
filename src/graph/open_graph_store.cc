#include "graph/open_graph_store.h"

#include "common/data_dir.h"
#include "common/log.h"
#include "common/strings.h"
#include "graph/bolt_connection.h"
#include "graph/neo4j_graph_store.h"
#include "graph/sqlite_graph_store.h"

namespace atg::graph {

Result<Neo4jGraphStoreOptions> Neo4jOptionsFromSettings(const Settings& settings) {
  Neo4jGraphStoreOptions o;
  o.uri = std::string(Trim(settings.GetString("NEO4J_URI", "")));
  auto port = settings.GetInt("NEO4J_PORT", 7687, 1, 65535);
  if (!port.ok()) return port.status();
  o.default_port = static_cast<int>(*port);
  o.user = settings.GetString("NEO4J_USER", "neo4j");
  o.password = settings.GetString("NEO4J_PASSWORD", "");
  RegisterSecret(o.password);
  if (!o.uri.empty()) {
    // Checked here, so that a URI the store would refuse is refused by every reader of the
    // settings alike (atg serve at startup, atg doctor), not first by a job.
    auto address = ParseBoltUri(MaskUrlPassword(o.uri), o.default_port);
    if (!address.ok()) {
      return Status::InvalidArgument("NEO4J_URI is not valid: " + address.status().message());
    }
  }
  return o;
}

Result<int> GraphHistory(const Settings& settings) {
  auto n = settings.GetInt("ATG_GRAPH_HISTORY", 5, 1, 1000);
  if (!n.ok()) return n.status();
  return static_cast<int>(*n);
}

Result<std::unique_ptr<GraphStore>> OpenGraphStore(const Settings& settings,
                                                   std::string_view tenant_id,
                                                   const OpenGraphStoreOptions& options) {
  ATG_RETURN_IF_ERROR(ValidateTenantId(tenant_id));
  if (GraphBackendName(settings) == "neo4j") {
    auto neo4j = Neo4jOptionsFromSettings(settings);
    if (!neo4j.ok()) return neo4j.status();
    neo4j->create_if_missing = options.create_if_missing;
    auto history = GraphHistory(settings);
    if (!history.ok()) return history.status();
    neo4j->history = *history;
    auto store = OpenNeo4jGraphStore(tenant_id, *neo4j);
    if (!store.ok() && store.status().code() != StatusCode::kNotFound &&
        store.status().code() != StatusCode::kInvalidArgument) {
      // The Bolt client's messages name the host and the variable to check, never the password.
      return Status(store.status().code(),
                    "Database connection failed: " + store.status().message() +
                        " (the graph store is Neo4j because NEO4J_URI is set)");
    }
    return store;
  }
  auto dir = DataDir(settings);
  if (!dir.ok()) return dir.status();
  auto history = GraphHistory(settings);
  if (!history.ok()) return history.status();
  SqliteGraphStoreOptions sqlite;
  sqlite.create_if_missing = options.create_if_missing;
  sqlite.history = *history;
  return OpenSqliteGraphStore(*dir, tenant_id, sqlite);
}

std::string GraphBackendName(const Settings& settings) {
  auto uri = settings.Get("NEO4J_URI");
  return uri && !Trim(*uri).empty() ? "neo4j" : "sqlite";
}

Result<std::vector<std::string>> ListGraphTenants(const Settings& settings) {
  if (GraphBackendName(settings) == "neo4j") {
    auto neo4j = Neo4jOptionsFromSettings(settings);
    if (!neo4j.ok()) return neo4j.status();
    auto tenants = ListNeo4jTenants(*neo4j);
    if (!tenants.ok() && tenants.status().code() != StatusCode::kInvalidArgument) {
      return Status(tenants.status().code(),
                    "Database connection failed: " + tenants.status().message() +
                        " (the graph store is Neo4j because NEO4J_URI is set)");
    }
    return tenants;
  }
  auto dir = DataDir(settings);
  if (!dir.ok()) return dir.status();
  return ListSqliteTenants(*dir);
}

}  // namespace atg::graph
