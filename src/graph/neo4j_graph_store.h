// The Neo4j GraphStore: a tenant's graph in a Neo4j 5 database, reached over Bolt
// (bolt_connection.h), with exactly the contract of graph_store.h. Several tenants may share one
// database; every node carries its tenant and every query filters by it, so tenants never see
// each other's nodes.
//
// Data model (docs/graph.md has the details and Cypher examples):
//  * every graph node is (:AtgNode:<Label> {tenant, gen, key, label, type, name, original_id,
//    subscription_id, resource_group, location, properties}) where <Label> is the model label
//    (Resource, User, Tag, ...) and `properties` is the full source body as JSON text;
//  * edges are relationships of the model's types (CONTAINS, REFERENCES, ...) with
//    {properties, gen};
//  * (:AtgTenant {tenant, current, next_gen, gens, lock_owner, lock_expires}) is the tenant's
//    state and scan lock, (:AtgScan {tenant, gen, scope, started_at, finished_at, summary}) one
//    record per committed scan.
//
// Generations. A scan writes a complete new copy of the tenant's graph under a fresh generation
// number `gen`: what it scanned, plus (at Commit) the previous generation's nodes and edges that
// lie outside its ScanScope. Readers see only the generation named by AtgTenant.current, so the
// switch at Commit is one small transaction; the previous generation is deleted afterwards in
// batches. A scan that is aborted or whose process dies leaves its generation unreferenced; it is
// deleted by the abort, or by the next scan of the tenant.
//
// Scan lock: BeginScan takes the tenant's lock (a lease on AtgTenant, renewed by the session
// every lease/3); another BeginScan, in any process, fails with kFailedPrecondition until the
// session ends or its lease expires (its process died).
//
// Writes go in UNWIND batches, one transaction per batch, with every value passed as a Bolt
// parameter: no Cypher text is built from data. Labels and relationship types come from the fixed
// lists of model.h; an edge of any other type is kInvalidArgument.
//
// Isolation: each reader pins the current generation. A read that streams while a scan commits
// and deletes that generation fails with kAborted (run it again) rather than return a mix.
//
// Thread-safety: as GraphStore. Connections come from a small pool owned by the store; a
// session holds two of its own (writer and lease renewal).
#ifndef ATG_GRAPH_NEO4J_GRAPH_STORE_H_
#define ATG_GRAPH_NEO4J_GRAPH_STORE_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph_store.h"

namespace atg::graph {

struct Neo4jGraphStoreOptions {
  std::string uri;          // bolt://host[:port] or neo4j://host[:port] (NEO4J_URI)
  int default_port = 7687;  // used when the URI names no port (NEO4J_PORT)
  std::string user = "neo4j";
  std::string password;  // a secret: registered for redaction, never in an error
  // When false, a tenant that Neo4j holds no graph for is kNotFound (saying to run `atg scan`)
  // and nothing is written.
  bool create_if_missing = true;
  // Back-pressure bound on batches queued for the writer thread (bytes of keys + bodies).
  size_t max_queued_bytes = 64u << 20;
  // How many complete scans the history keeps (ATG_GRAPH_HISTORY; at least 1, the current).
  int history = 5;
  // Rows per write transaction.
  size_t node_batch_rows = 2000;
  size_t edge_batch_rows = 5000;
  // How long a scan's lock outlives its last renewal (a killed scan blocks the next this long).
  std::chrono::milliseconds scan_lease{60000};
  std::chrono::milliseconds connect_timeout{5000};
  // The longest wait for one query's answer.
  std::chrono::milliseconds query_timeout{300000};
};

// Connects, creates the constraints and indexes if they are missing, and opens the tenant's
// graph. Errors: kInvalidArgument (bad tenant id or URI), kUnavailable / kDeadlineExceeded
// (Neo4j unreachable), kUnauthenticated (login refused), kNotFound (no graph and not created).
Result<std::unique_ptr<GraphStore>> OpenNeo4jGraphStore(std::string_view tenant_id,
                                                        const Neo4jGraphStoreOptions& options);

// The tenants Neo4j holds a committed graph for, sorted. Errors as OpenNeo4jGraphStore.
Result<std::vector<std::string>> ListNeo4jTenants(const Neo4jGraphStoreOptions& options);

}  // namespace atg::graph

#endif  // ATG_GRAPH_NEO4J_GRAPH_STORE_H_
