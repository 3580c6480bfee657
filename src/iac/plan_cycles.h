// Deployment order for the plan: a topological order of resources by their dependencies (ties
// by index, which is key order), with cycles broken by dropping as few reference dependencies
// as a greedy choice allows. Structural dependencies (parent, scope, resource group) form a
// forest and are never dropped.
//
// Strongly connected components are found with an iterative Tarjan (no recursion, so 100,000
// resources cannot exhaust the stack). Then a Kahn-style pass places, at each step, the
// smallest-index resource whose dependencies are all placed; when none is ready, it picks the
// resource of a cyclic component that waits on the fewest dependencies (all inside its own
// component, none structural) and drops those.
//
// Thread-safety: reentrant.
#ifndef ATG_IAC_PLAN_CYCLES_H_
#define ATG_IAC_PLAN_CYCLES_H_

#include <cstddef>
#include <utility>
#include <vector>

namespace atg::iac {

struct Dependency {
  size_t target = 0;
  bool structural = false;  // parent, scope or resource group: never dropped
};

struct OrderResult {
  std::vector<size_t> order;                      // node indexes, dependencies first
  std::vector<std::pair<size_t, size_t>> broken;  // (from, to) dependencies dropped
  size_t cyclic_components = 0;                   // components with more than one node
};

// `deps[i]` lists what node i depends on (duplicates and self-dependencies allowed, ignored).
OrderResult OrderWithCycles(const std::vector<std::vector<Dependency>>& deps);

// The strongly connected component of every node (ids in reverse topological order of the
// component graph, as Tarjan finds them).
std::vector<size_t> StronglyConnectedComponents(const std::vector<std::vector<size_t>>& edges);

}  // namespace atg::iac

#endif  // ATG_IAC_PLAN_CYCLES_H_
