#include "iac/body_slots.h"

#include "iac/body_path.h"

namespace atg::iac {

std::vector<std::vector<size_t>> InputsByResource(const Plan& plan) {
  std::vector<std::vector<size_t>> out(plan.resources.size());
  for (size_t i = 0; i < plan.inputs.size(); ++i) {
    if (plan.inputs[i].resource < out.size()) out[plan.inputs[i].resource].push_back(i);
  }
  return out;
}

void PrepareBody(const Plan& plan, size_t index, const std::vector<size_t>& inputs,
                 PreparedBody* out, std::vector<std::string>* notes) {
  const PlannedResource& r = plan.resources[index];
  out->slots.clear();
  out->copy.reset();
  out->root = &r.body;
  auto unplaced = [&](std::string_view what, const std::string& path, std::string_view why) {
    notes->push_back(std::string(what) + " at " + path + " of " + r.key + " was not written (" +
                     std::string(why) + ")");
  };

  // Inserting members can move other members, so every pointer is taken after all insertions.
  std::vector<std::pair<size_t, std::vector<PathStep>>> input_steps;
  for (size_t k : inputs) {
    const Input& in = plan.inputs[k];
    auto steps = ParseBodyPath(in.path);
    if (!steps.ok()) {
      unplaced("input " + in.name, in.path, steps.status().message());
      continue;
    }
    if (!out->copy) out->copy = r.body;
    json::value* slot = EnsureBodyPath(*out->copy, *steps);
    if (!slot) {
      unplaced("input " + in.name, in.path, "the path crosses a missing array element");
      continue;
    }
    *slot = nullptr;
    input_steps.emplace_back(k, std::move(*steps));
  }
  if (out->copy) out->root = &*out->copy;
  for (auto& [k, steps] : input_steps) {
    PathTarget t = ResolveBodyPath(*out->root, steps);
    out->slots.push_back({t.value, false, nullptr, &plan.inputs[k]});
  }

  for (const Reference& ref : r.references) {
    if (ref.target >= plan.resources.size()) {
      unplaced("reference", ref.path, "its target is not in the plan");
      continue;
    }
    auto steps = ParseBodyPath(ref.path);
    if (!steps.ok()) {
      unplaced("reference", ref.path, steps.status().message());
      continue;
    }
    PathTarget t = ResolveBodyPath(*out->root, *steps);
    if (!t.value || (!t.is_key && !t.value->is_string())) {
      unplaced("reference", ref.path, "no id string there");
      continue;
    }
    out->slots.push_back({t.value, t.is_key, &ref, nullptr});
  }
}

}  // namespace atg::iac
