// Snapshots: a tenant's whole graph with its retained scan history, as a stream of records that
// any backend can write and any backend can read back. Backups (backup/) carry snapshots;
// GraphStore::ExportSnapshot produces one and GraphStore::ImportSnapshot replaces a tenant's
// graph with one, so a backup of one backend restores into the other.
//
// The history is kept as versions: a NodeVersion is a node exactly as it was in every retained
// scan from `since` up to (not including) `until`; `until` 0 means it is still in the current
// graph. The graph of retained scan G is therefore every version with since <= G and
// (until == 0 or G < until). A node that never changed is one version whatever the number of
// scans, so a snapshot of five scans of a quiet tenant is barely larger than one scan.
//
// Thread-safety: values and interfaces; implementations say otherwise.
#ifndef ATG_GRAPH_SNAPSHOT_H_
#define ATG_GRAPH_SNAPSHOT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "graph/model.h"

namespace atg::graph {

// One retained, committed scan: what `atg graph history` lists.
struct ScanRecord {
  int64_t gen = 0;          // the scan's number within its tenant, increasing
  json::object scope;       // ScanScope::ToJson of the scan
  std::string started_at;   // RFC 3339 UTC
  std::string finished_at;  // RFC 3339 UTC
  json::object summary;     // the commit counts, plus "report": what the scanner attached
};

struct NodeVersion {
  Node node;
  int64_t since = 0;  // the first retained scan that had the node exactly like this
  int64_t until = 0;  // the first retained scan that no longer had it so; 0: current
};

struct EdgeVersion {
  Edge edge;
  int64_t since = 0;
  int64_t until = 0;
};

// True when the version belongs to the graph of scan `gen`.
inline bool InScan(int64_t since, int64_t until, int64_t gen) {
  return since <= gen && (until == 0 || gen < until);
}

// Receives a snapshot: every scan (oldest first), then every node version, then every edge
// version. A non-OK status stops the export and is returned by it.
class SnapshotSink {
 public:
  virtual ~SnapshotSink() = default;
  virtual Status AddScan(ScanRecord scan) = 0;
  virtual Status AddNode(NodeVersion node) = 0;
  virtual Status AddEdge(EdgeVersion edge) = 0;
};

// Supplies a snapshot to ImportSnapshot: the scans first (held in memory: one record per
// retained scan), then the node versions, then the edge versions, each streamed once in that
// order. A source that finds its input damaged returns an error from the ForEach call, and the
// import leaves the store as it was.
class SnapshotSource {
 public:
  virtual ~SnapshotSource() = default;
  virtual Result<std::vector<ScanRecord>> Scans() = 0;
  virtual Status ForEachNode(const std::function<Status(NodeVersion&&)>& visit) = 0;
  virtual Status ForEachEdge(const std::function<Status(EdgeVersion&&)>& visit) = 0;
};

// Checks what every import needs before it writes anything: at least one scan, scan numbers
// positive and strictly increasing, and each version's range sensible: 1 <= since <= the last
// scan, and until 0 or since < until <= the last scan. kInvalidArgument naming the record
// otherwise.
Status ValidateScans(const std::vector<ScanRecord>& scans);
Status ValidateVersion(const std::vector<ScanRecord>& scans, std::string_view what, int64_t since,
                       int64_t until);

// A node / edge every backend can store: a non-empty key (endpoints), a label / edge type of
// the model, properties that look like a JSON object (an edge's may be empty).
// kInvalidArgument naming the record otherwise.
Status ValidateSnapshotNode(const Node& node);
Status ValidateSnapshotEdge(const Edge& edge);

}  // namespace atg::graph

#endif  // ATG_GRAPH_SNAPSHOT_H_
