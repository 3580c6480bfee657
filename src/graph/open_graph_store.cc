#include "graph/open_graph_store.h"

#include "common/data_dir.h"
#include "common/log.h"
#include "graph/sqlite_graph_store.h"

namespace atg::graph {

Result<std::unique_ptr<GraphStore>> OpenGraphStore(const Settings& settings,
                                                   std::string_view tenant_id,
                                                   const OpenGraphStoreOptions& options) {
  ATG_RETURN_IF_ERROR(ValidateTenantId(tenant_id));
  if (auto uri = settings.Get("NEO4J_URI"); uri && !uri->empty()) {
    LogWarning(
        "NEO4J_URI is set but this build has no Neo4j graph backend yet; using the "
        "embedded SQLite graph store");
  }
  auto dir = DataDir(settings);
  if (!dir.ok()) return dir.status();
  SqliteGraphStoreOptions sqlite;
  sqlite.create_if_missing = options.create_if_missing;
  return OpenSqliteGraphStore(*dir, tenant_id, sqlite);
}

}  // namespace atg::graph
