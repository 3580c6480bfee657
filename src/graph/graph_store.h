// GraphStore: where a tenant's graph lives, behind one interface for every backend (SQLite,
// sqlite_graph_store.h; Neo4j, neo4j_graph_store.h). Nothing here names SQL or Cypher; the
// scanner writes through ScanSession, the IaC generator and `atg graph` read through the visitor
// methods. graph/testing/graph_store_contract.h tests a backend against this contract.
//
// One GraphStore holds exactly one tenant's graph: two tenants never share a store, so they
// can never see each other's nodes.
//
// Re-scan semantics. A scan writes through a ScanSession and becomes visible only at Commit,
// atomically. Commit replaces what the previous scans saw within the session's ScanScope: nodes
// in that scope that this scan did not write are removed, with their edges, and so are the
// edges leaving in-scope nodes that this scan did not write again. Nodes outside the scope stay.
// Until Commit readers see the previous complete graph; an aborted session (destroyed without
// Commit, or a process killed mid-scan) leaves it untouched.
//
// Edge endpoints are settled at Commit, so producers may write edges before (or without) their
// endpoint nodes, from any thread, in any order:
//  * an endpoint that is a node: kept;
//  * "/directoryObjects/{id}": re-pointed at "/users/{id}", "/groups/{id}" or
//    "/servicePrincipals/{id}", whichever exists;
//  * an ARM id that is not a node but lies inside one (a load balancer's backend pool, a NIC's
//    ip configuration): re-pointed at the nearest enclosing resource that is a node, with
//    {"via": "<original target>"} in the edge properties;
//  * a role definition id in its tenant-level or subscription-level spelling: re-pointed at the
//    spelling that exists;
//  * otherwise the edge is dropped and counted in CommitSummary::dangling_edges_dropped (the
//    reference itself is still in the source node's properties).
// So every stored edge joins two stored nodes, and the counts of Stats() are exact.
// Tag and Region nodes that no edge points at any more are removed at Commit.
//
// Thread-safety: a GraphStore may be used from several threads at once; each read method works
// on its own snapshot of the last committed graph. A ScanSession accepts UpsertNodes/AddEdges
// from several threads at once; Commit and Abort must not race with them.
#ifndef ATG_GRAPH_GRAPH_STORE_H_
#define ATG_GRAPH_GRAPH_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "graph/model.h"
#include "graph/snapshot.h"

namespace atg::graph {

// What one scan covered: Commit replaces exactly this part of the stored graph.
struct ScanScope {
  std::string tenant_id;
  std::vector<std::string> subscriptions;    // subscription ids; empty means every subscription
  std::vector<std::string> resource_groups;  // resource group names; empty means all
  std::vector<std::string> types;            // ARM types; empty means every type
  bool arm = true;                           // the scan read ARM (subscriptions, groups, resources)
  bool directory = true;  // the scan read Entra users, groups and service principals

  // Whether a stored node with these attributes is replaced by this scan. ARM nodes are covered
  // when `arm` and they match every non-empty filter (the subscription node itself is outside a
  // resource-group filter, subscriptions and resource groups outside a type filter). Entra nodes
  // are covered when `directory`. Tenant, Tag and Region nodes are never covered (the tenant node
  // is written by every scan; tags and regions are removed when unreferenced).
  bool Covers(std::string_view label, std::string_view type, std::string_view subscription_id,
              std::string_view resource_group) const;

  json::object ToJson() const;
};

struct CommitSummary {
  int64_t nodes_written = 0;  // upserts accepted (a node written twice counts twice)
  int64_t edges_written = 0;
  int64_t nodes_removed = 0;  // stale in-scope nodes and orphaned tags/regions
  int64_t edges_removed = 0;  // stale edges from in-scope nodes and edges of removed nodes
  int64_t edges_retargeted = 0;
  int64_t dangling_edges_dropped = 0;
  double seconds = 0;  // from BeginScan to the end of Commit
};

// Writes one scan. Obtained from GraphStore::BeginScan; at most one session per tenant at a
// time (BeginScan fails with kFailedPrecondition while another is open, in any process).
// Destroying a session without a successful Commit aborts it.
class ScanSession {
 public:
  virtual ~ScanSession() = default;

  // Queue a batch for writing. Returns quickly unless the writer is behind by more than the
  // store's memory bound, in which case it waits (back-pressure keeps memory bounded). A non-OK
  // status is sticky: the first write error fails every later call and Commit.
  virtual Status UpsertNodes(std::vector<Node> nodes) = 0;
  virtual Status AddEdges(std::vector<Edge> edges) = 0;
  Status Add(GraphFragment fragment);

  // Waits for every queued batch, settles edges, removes what the scan no longer saw and makes
  // the scan visible, atomically. Call once; later writes fail with kFailedPrecondition.
  virtual Result<CommitSummary> Commit() = 0;

  // Discards everything written by this session. Idempotent.
  virtual void Abort() = 0;

  // Attaches the scanner's report (failed_scopes, duration_seconds, requests, throttled,
  // throttle_wait_seconds, floor_seconds, ...) to this scan; it is stored at Commit and comes
  // back in GraphStats::last_scan, so `atg graph stats --json` repeats the scan's summary.
  // Thread-safe; the last call before Commit wins.
  virtual void SetReport(json::object report) = 0;
};

// Counts that `atg graph stats` and the scan summary print (DESIGN.md §3.1).
struct GraphStats {
  std::string tenant_id;
  int64_t nodes = 0;
  // ARM resources, child and extension resources included (not subscriptions or groups).
  int64_t resources = 0;
  int64_t users = 0;
  int64_t groups = 0;
  int64_t service_principals = 0;
  int64_t edges = 0;
  std::map<std::string, int64_t> by_label;
  std::map<std::string, int64_t> by_type;  // lower-cased ARM type -> count, for resources
  std::map<std::string, int64_t> edges_by_type;
  // The last committed scan: {"scope", "started_at", "finished_at", "commit": {counts of its
  // CommitSummary}, "report": {what the scanner attached}}; empty before the first scan.
  json::object last_scan;

  // The summary object of DESIGN.md §3.1: {tenant_id, resources, by_type, users, groups,
  // service_principals, edges, edges_by_type, failed_scopes, duration_seconds, requests,
  // throttled, throttle_wait_seconds, floor_seconds} plus nodes, by_label and last_scan_at.
  // The scan-run fields come from the last scan's report (zero / empty when it had none).
  json::object ToJson() const;
};

// Empty vectors match everything; values are compared as stored (types lower-cased, ids
// lower-cased).
struct NodeFilter {
  std::vector<std::string> labels;
  std::vector<std::string> types;
  std::vector<std::string> subscriptions;
  std::vector<std::string> resource_groups;
};

struct EdgeFilter {
  std::vector<std::string> types;
  std::optional<std::string> from;
  std::optional<std::string> to;
};

// Return non-OK to stop; the status is returned by the ForEach call.
using NodeVisitor = std::function<Status(Node&& node)>;
using EdgeVisitor = std::function<Status(Edge&& edge)>;

class GraphStore {
 public:
  virtual ~GraphStore() = default;

  // The tenant whose graph this store holds.
  virtual const std::string& tenant_id() const = 0;

  // Starts a scan of `scope`; scope.tenant_id must be this store's tenant.
  virtual Result<std::unique_ptr<ScanSession>> BeginScan(const ScanScope& scope) = 0;

  // True once at least one scan has been committed.
  virtual Result<bool> HasGraph() = 0;

  virtual Result<GraphStats> Stats() = 0;
  virtual Result<std::optional<Node>> GetNode(std::string_view key) = 0;

  // Streams matching nodes (ordered by key) / edges (ordered by from, type, to) without loading
  // the graph into memory.
  virtual Status ForEachNode(const NodeFilter& filter, const NodeVisitor& visit) = 0;
  virtual Status ForEachEdge(const EdgeFilter& filter, const EdgeVisitor& visit) = 0;

  // History. The retained scans, oldest first: the last ATG_GRAPH_HISTORY complete scans (the
  // newest is the current graph). Empty before the first scan.
  virtual Result<std::vector<ScanRecord>> History() = 0;

  // Streams the graph as retained scan `gen` saw it, nodes ordered by key, edges by (from,
  // type, to); one consistent state. kNotFound when `gen` is not a retained scan; kAborted when
  // it was dropped from the history while it streamed (run the command again).
  virtual Status ForEachNodeAt(int64_t gen, const NodeVisitor& visit) = 0;
  virtual Status ForEachEdgeAt(int64_t gen, const EdgeVisitor& visit) = 0;

  // Streams a snapshot (graph/snapshot.h) of this tenant's graph and its retained history into
  // `sink`: exactly the committed state at one moment, even while a scan writes or commits.
  // kNotFound when the tenant has no committed scan; errors of `sink` are returned as they are.
  virtual Status ExportSnapshot(SnapshotSink& sink) = 0;

  // Replaces this tenant's graph and history with the snapshot `source`, all at once: readers
  // see the previous graph until the whole snapshot is in, then only the snapshot. Any error
  // (a damaged source, an inconsistent snapshot, a store failure) leaves the store exactly as
  // it was. Takes the tenant's scan lock: kFailedPrecondition while a scan is writing.
  // kInvalidArgument for a snapshot that breaks the rules of graph/snapshot.h or whose edges
  // join nodes the snapshot does not hold.
  virtual Status ImportSnapshot(SnapshotSource& source) = 0;
};

// Tenant ids become directory names, so they are checked before any path is built: a GUID, or a
// name of letters, digits, '.', '-' and '_' (at most 128, not starting with '.' or '-').
Status ValidateTenantId(std::string_view tenant_id);

}  // namespace atg::graph

#endif  // ATG_GRAPH_GRAPH_STORE_H_
