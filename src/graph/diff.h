// Drift between two retained scans of a tenant: which resources and directory objects were
// added, removed or changed (with the JSON paths that changed, old and new values), which edges
// appeared or went, and the directory's changes in the terms people ask about (users, groups,
// service principals, memberships, role assignments). Works on any GraphStore through its
// history reads, with memory bounded by the number of nodes' digests plus the changes.
//
// Thread-safety: reentrant.
#ifndef ATG_GRAPH_DIFF_H_
#define ATG_GRAPH_DIFF_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "graph/graph_store.h"

namespace atg::graph {

// One changed value inside a node: `path` is a JSON path into the node's body
// ("$.properties.sku.name"), or a node field ("name", "location", ...). An absent side is
// nullopt (the member was added or removed).
struct PropertyChange {
  std::string path;
  std::optional<json::value> old_value;
  std::optional<json::value> new_value;
};

struct NodeRef {
  std::string key, label, type, name;
};

struct NodeChange {
  NodeRef node;
  std::vector<PropertyChange> changes;
  int64_t more = 0;  // changes beyond DiffOptions::max_paths_per_node, not listed
};

struct GraphDiff {
  std::string tenant_id;
  ScanRecord from, to;
  std::vector<NodeRef> added, removed;  // every label; ordered by key
  std::vector<NodeChange> changed;
  std::vector<Edge> edges_added, edges_removed;  // by (from, type, to); properties ignored

  // {tenant_id, from: {scan, finished_at, scope}, to: {...}, summary: {resources: {added,
  // removed, changed}, edges: {added, removed}, directory: {users, groups, service_principals,
  // role_assignments: {added, removed, changed}, memberships: {added, removed}}}, resources:
  // {added: [...], removed: [...], changed: [{key, type, name, changes: [{path, old, new}]}]},
  // directory: {users: {...}, ..., memberships: {added: [{member, group}], removed: [...]}},
  // edges: {added: [{from, type, to}], removed: [...]}}.
  json::object ToJson() const;
};

struct DiffOptions {
  size_t max_paths_per_node = 100;
};

// Compares retained scans `from` and `to` of `store` (either order). kNotFound when either is
// not in the history.
Result<GraphDiff> DiffScans(GraphStore& store, int64_t from, int64_t to,
                            const DiffOptions& options = {});

// The JSON paths at which `a` and `b` differ, depth first, objects by key, arrays by index.
void DiffJson(const json::value& a, const json::value& b, const std::string& path,
              std::vector<PropertyChange>* out, size_t max, int64_t* more);

// Before a scan replaces anything: "" when `next` (with `resource_limit`, 0 for none) covers at
// least what the stored graph's last scan covered (`stored`, ScanScope::ToJson); otherwise a
// sentence saying what is narrower and what the commit will do, and where the current graph
// stays: as scan `current` in the history when `history` > 1.
std::string NarrowerScanNote(const json::object& stored, const ScanScope& next,
                             int64_t resource_limit, int64_t current, int history);

// True for the labels of Entra objects and role assignments (the directory section).
bool IsDirectoryLabel(std::string_view label);

}  // namespace atg::graph

#endif  // ATG_GRAPH_DIFF_H_
