// The plan's view of the graph: every ARM node (a candidate resource) and Entra principal, the
// edges the selection follows, and the tenant's API versions, read once from the store. The
// later stages (iac/plan_exclusions.h, plan_bodies.h, plan_selection.h, plan_principals.h)
// work on it by index.
//
// Thread-safety: a value; ReadPlanGraph reads the store through its thread-safe read methods.
#ifndef ATG_IAC_PLAN_GRAPH_H_
#define ATG_IAC_PLAN_GRAPH_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "graph/graph_store.h"
#include "graph/model.h"
#include "iac/plan_references.h"
#include "iac/secret_rules.h"

namespace atg::iac {

// An ARM node that may become a planned resource. The body fields are filled by the body stage
// (iac/plan_bodies.h), only for candidates the selection reaches.
struct Candidate {
  graph::Node node;
  bool prepared = false;
  std::string type;  // as written
  std::string api_version;
  bool location_settable = true;  // false when the schema has no writable `location`
  json::object body;
  std::vector<SecretSlot> secrets;
  std::vector<SecretSlot> public_inputs;  // inputs that are not secrets (SSH public keys)
  std::vector<RawRef> refs;               // of the cleaned body (inlined children included)
};

struct PlanGraph {
  std::vector<Candidate> arm;  // in the store's key order
  std::vector<graph::Node> principals;
  std::unordered_map<std::string, size_t> arm_index;        // node key -> index into arm
  std::unordered_map<std::string, size_t> principal_index;  // node key -> index into principals
  json::object api_versions;       // lower type -> the tenant's newest stable version
  json::object api_version_lists;  // lower type -> every version the tenant offers
  // Per candidate: the candidates its edges (uses, logs to, secured by...) point at, and the
  // principals they point at (identities, role assignees).
  std::vector<std::vector<size_t>> follows;
  std::vector<std::vector<size_t>> principal_refs;
  std::vector<std::pair<size_t, size_t>> member_of;  // (member, group) principal indexes
  // Per candidate: the candidates whose nearest ancestor candidate it is (child resources and
  // extensions, resources of a group, groups of a subscription).
  std::vector<std::vector<size_t>> children;

  // Appends an ARM node as a candidate (indexed by its key).
  void AddArm(graph::Node node);
  // Sizes the per-candidate edge lists and links every candidate to its nearest ancestor
  // candidate (children). Call once every candidate is added.
  void LinkChildren();

  // The candidate an ARM id names: itself, or the nearest enclosing resource (a pool of a load
  // balancer). Resource groups and subscriptions only when named exactly.
  std::optional<size_t> Resolve(std::string_view id) const;
  // The candidate keyed `key`, if any.
  std::optional<size_t> Find(const std::string& key) const;
  // Every version the tenant offers for `lower_type`: the list the scan kept, else its newest.
  std::vector<std::string> TenantApiVersions(const std::string& lower_type) const;
};

// Reads the ARM nodes, principals, tenant node and the followed edges of `store`.
Result<PlanGraph> ReadPlanGraph(graph::GraphStore& store);

}  // namespace atg::iac

#endif  // ATG_IAC_PLAN_GRAPH_H_
