// Edge settling rules shared by the GraphStore backends: where a dangling edge endpoint is
// re-pointed at Commit (graph_store.h, "Edge endpoints are settled at Commit"). Keeping them in
// one place makes every backend settle the same edges the same way.
//
// Thread-safety: reentrant functions over values.
#ifndef ATG_GRAPH_EDGE_SETTLING_H_
#define ATG_GRAPH_EDGE_SETTLING_H_

#include <string>
#include <string_view>
#include <vector>

namespace atg::graph {

struct EndpointCandidate {
  std::string key;
  bool via = false;  // an enclosing resource: the edge records the original target as "via"
};

// The keys an edge endpoint `key` may settle on, best first, starting with `key` itself; the
// first one that is a stored node wins, and when none is the edge is dropped. `other_end` is the
// edge's other endpoint (a subscription-level role definition is looked for in its
// subscription).
std::vector<EndpointCandidate> EndpointCandidates(const std::string& key,
                                                  const std::string& other_end);

// `properties` (a serialized JSON object, or "") with {"via": original_target} added.
std::string WithVia(std::string_view properties, std::string_view original_target);

}  // namespace atg::graph

#endif  // ATG_GRAPH_EDGE_SETTLING_H_
