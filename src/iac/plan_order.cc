#include "iac/plan_order.h"

#include <algorithm>
#include <set>

namespace atg::iac {

void OrderResources(const std::vector<std::vector<Dependency>>& deps,
                    std::vector<PlannedResource>* resources, std::vector<InputSlots>* slots,
                    std::vector<std::pair<std::string, std::string>>* broken_cycles) {
  std::vector<PlannedResource>& res = *resources;
  OrderResult order = OrderWithCycles(deps);
  std::vector<size_t> new_index(res.size());
  for (size_t pos = 0; pos < order.order.size(); ++pos) new_index[order.order[pos]] = pos;
  std::set<std::pair<size_t, size_t>> broken(order.broken.begin(), order.broken.end());
  const size_t first_broken = broken_cycles->size();
  for (const auto& [from, to] : order.broken) {
    broken_cycles->emplace_back(res[from].key, res[to].key);
  }
  std::sort(broken_cycles->begin() + static_cast<std::ptrdiff_t>(first_broken),
            broken_cycles->end());
  for (size_t k = 0; k < res.size(); ++k) {
    PlannedResource& r = res[k];
    std::set<size_t> d;
    for (const Dependency& dep : deps[k]) {
      if (!dep.structural && broken.count({k, dep.target}) > 0) continue;
      d.insert(new_index[dep.target]);
    }
    r.depends_on.assign(d.begin(), d.end());
    std::vector<Reference> refs;
    for (auto& ref : r.references) {
      if (broken.count({k, ref.target}) > 0 && r.parent != ref.target && r.scope != ref.target) {
        continue;  // kept as a literal id in the body
      }
      ref.target = new_index[ref.target];
      refs.push_back(std::move(ref));
    }
    r.references = std::move(refs);
    if (r.parent) r.parent = new_index[*r.parent];
    if (r.scope) r.scope = new_index[*r.scope];
  }
  std::vector<PlannedResource> ordered(res.size());
  std::vector<InputSlots> ordered_slots(res.size());
  for (size_t k = 0; k < res.size(); ++k) {
    ordered[new_index[k]] = std::move(res[k]);
    ordered_slots[new_index[k]] = std::move((*slots)[k]);
  }
  res = std::move(ordered);
  *slots = std::move(ordered_slots);
}

}  // namespace atg::iac
