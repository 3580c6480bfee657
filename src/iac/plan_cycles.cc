#include "iac/plan_cycles.h"

#include <algorithm>
#include <cstdint>
#include <set>

namespace atg::iac {

std::vector<size_t> StronglyConnectedComponents(const std::vector<std::vector<size_t>>& edges) {
  const size_t n = edges.size();
  constexpr size_t kUnset = SIZE_MAX;
  std::vector<size_t> index(n, kUnset), low(n, 0), comp(n, kUnset);
  std::vector<char> on_stack(n, 0);
  std::vector<size_t> stack;
  std::vector<std::pair<size_t, size_t>> call;  // (node, next edge)
  size_t next_index = 0, next_comp = 0;
  for (size_t root = 0; root < n; ++root) {
    if (index[root] != kUnset) continue;
    call.push_back({root, 0});
    index[root] = low[root] = next_index++;
    stack.push_back(root);
    on_stack[root] = 1;
    while (!call.empty()) {
      auto& [v, e] = call.back();
      if (e < edges[v].size()) {
        size_t w = edges[v][e++];
        if (index[w] == kUnset) {
          index[w] = low[w] = next_index++;
          stack.push_back(w);
          on_stack[w] = 1;
          call.push_back({w, 0});
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      size_t done = v;
      call.pop_back();
      if (!call.empty()) low[call.back().first] = std::min(low[call.back().first], low[done]);
      if (low[done] == index[done]) {
        while (true) {
          size_t w = stack.back();
          stack.pop_back();
          on_stack[w] = 0;
          comp[w] = next_comp;
          if (w == done) break;
        }
        ++next_comp;
      }
    }
  }
  return comp;
}

OrderResult OrderWithCycles(const std::vector<std::vector<Dependency>>& deps) {
  const size_t n = deps.size();
  // Unique dependencies per node; structural wins over reference for the same target.
  std::vector<std::vector<Dependency>> d(n);
  std::vector<std::vector<size_t>> edges(n);
  for (size_t i = 0; i < n; ++i) {
    std::vector<Dependency> v;
    for (const Dependency& x : deps[i]) {
      if (x.target != i && x.target < n) v.push_back(x);
    }
    std::sort(v.begin(), v.end(), [](const Dependency& a, const Dependency& b) {
      return a.target != b.target ? a.target < b.target : a.structural > b.structural;
    });
    for (const Dependency& x : v) {
      if (!d[i].empty() && d[i].back().target == x.target) continue;
      d[i].push_back(x);
      edges[i].push_back(x.target);
    }
  }
  std::vector<size_t> comp = StronglyConnectedComponents(edges);
  OrderResult out;
  {
    std::vector<size_t> sizes(n, 0);
    for (size_t c : comp) ++sizes[c];
    for (size_t s : sizes) out.cyclic_components += s > 1;
  }
  // Unplaced dependencies by kind, and who waits on whom.
  std::vector<size_t> structural(n, 0), outside(n, 0), inside(n, 0);
  std::vector<std::vector<size_t>> dependents(n);
  for (size_t i = 0; i < n; ++i) {
    for (const Dependency& x : d[i]) {
      if (x.structural) {
        ++structural[i];
      } else if (comp[x.target] != comp[i]) {
        ++outside[i];
      } else {
        ++inside[i];
      }
      dependents[x.target].push_back(i);
    }
  }
  std::vector<char> placed(n, 0);
  std::set<std::pair<size_t, size_t>> ready;  // (inside count, node) of eligible nodes
  auto eligible = [&](size_t i) { return !placed[i] && structural[i] == 0 && outside[i] == 0; };
  for (size_t i = 0; i < n; ++i) {
    if (eligible(i)) ready.insert({inside[i], i});
  }
  out.order.reserve(n);
  while (out.order.size() < n) {
    size_t v;
    if (ready.empty()) {
      // Unreachable when structural dependencies form a forest; stay total anyway.
      v = 0;
      while (placed[v]) ++v;
    } else {
      v = ready.begin()->second;
      ready.erase(ready.begin());
    }
    for (const Dependency& x : d[v]) {
      if (!placed[x.target]) out.broken.push_back({v, x.target});
    }
    placed[v] = 1;
    out.order.push_back(v);
    for (size_t w : dependents[v]) {
      if (placed[w]) continue;
      bool was = eligible(w);
      if (was) ready.erase({inside[w], w});
      // Find the kind of w's dependency on v.
      for (const Dependency& x : d[w]) {
        if (x.target != v) continue;
        if (x.structural) {
          --structural[w];
        } else if (comp[v] != comp[w]) {
          --outside[w];
        } else {
          --inside[w];
        }
        break;
      }
      if (eligible(w)) ready.insert({inside[w], w});
    }
  }
  std::sort(out.broken.begin(), out.broken.end());
  return out;
}

}  // namespace atg::iac
