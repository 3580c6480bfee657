// The Neo4j store's writers (neo4j_graph_store.h describes the data model): a scan session
// that writes a new generation of the tenant's graph and switches it in at Commit, and a
// restore that writes a snapshot's scans as new generations and switches them in at once.
// Both hold the tenant's scan lock, a lease on (:AtgTenant) renewed every lease/3 by a
// LeaseRenewer, from start to end; both delete what an interrupted writer left behind. The
// session's queueing, checks and commit/abort order are BatchedScanSession's, shared with SQLite.
//
// Internal to the graph module. Thread-safety: as ScanSession.
#ifndef ATG_GRAPH_NEO4J_SCAN_SESSION_H_
#define ATG_GRAPH_NEO4J_SCAN_SESSION_H_

#include <memory>

#include "common/status.h"
#include "graph/graph_store.h"
#include "graph/neo4j_pool.h"
#include "graph/snapshot.h"

namespace atg::graph::neo4j {

// Takes the tenant's scan lock (kFailedPrecondition while another scan, in any process, holds
// it), deletes generations that interrupted scans left, and returns the session writing a new
// generation. `scope.tenant_id` is context->tenant. Connection errors as BoltConnection.
Result<std::unique_ptr<ScanSession>> BeginScan(std::shared_ptr<StoreContext> context,
                                               ScanScope scope);

// GraphStore::ImportSnapshot for Neo4j: every scan of `source` becomes a new generation, the
// last one current, switched in with the scan records in one transaction; on any error the new
// generations are deleted and the store is as it was.
Status RestoreSnapshot(std::shared_ptr<StoreContext> context, SnapshotSource& source);

}  // namespace atg::graph::neo4j

#endif  // ATG_GRAPH_NEO4J_SCAN_SESSION_H_
