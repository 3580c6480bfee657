// Reading the graph around a node, on any GraphStore: finding a node by id or name, its
// neighbourhood to a depth, and the shortest paths between two nodes over chosen edge types
// ("how can this user reach this key vault": memberships, role assignments, identities,
// network links). Everything goes through GetNode / ForEachNode / ForEachEdge, so both stores
// answer the same.
//
// Tag, Region and Tenant nodes are never walked through (every resource would be two steps from
// every other through "westeurope"); they can be endpoints.
//
// Thread-safety: reentrant.
#ifndef ATG_GRAPH_TRAVERSE_H_
#define ATG_GRAPH_TRAVERSE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "graph/graph_store.h"

namespace atg::graph {

// The node named by `ref`: a key or ARM id (any case; ids are keyed lower-cased), an Entra
// object id or "/users/<id>"-style key, or a name (exact, then case-insensitive). kNotFound
// when nothing matches; kFailedPrecondition listing the candidates when a name is ambiguous.
Result<Node> FindNode(GraphStore& store, std::string_view ref);

enum class Direction { kOut, kIn, kBoth };

struct Step {
  Edge edge;            // as stored (from, type, to)
  bool forward = true;  // walked from edge.from to edge.to
  Node node;            // the node reached (properties left out)
  int depth = 0;
};

struct TraverseOptions {
  std::vector<std::string> edge_types;  // empty: every type
  Direction direction = Direction::kBoth;
  int max_depth = 1;
  size_t max_nodes = 10000;  // stop after reaching this many nodes (truncated = true)
};

struct Neighbourhood {
  Node start;
  std::vector<Step> steps;  // breadth first: each node once, with the edge that first reached it
  bool truncated = false;
  json::object ToJson() const;
};

Result<Neighbourhood> Neighbors(GraphStore& store, const Node& start,
                                const TraverseOptions& options);

struct GraphPath {
  std::vector<Step> steps;  // from the start to the target
};

struct PathResult {
  Node from, to;
  std::vector<GraphPath> paths;  // every shortest path, up to `max_paths`
  json::object ToJson() const;
};

// Shortest paths (fewest edges) from `from` to `to`, at most options.max_depth (default 6 when
// 1 is given) edges long, walking edges in options.direction (both by default: an assignment
// points at its principal, a group's member at the group, whatever the question's direction).
Result<PathResult> ShortestPaths(GraphStore& store, const Node& from, const Node& to,
                                 const TraverseOptions& options, size_t max_paths = 10);

}  // namespace atg::graph

#endif  // ATG_GRAPH_TRAVERSE_H_
