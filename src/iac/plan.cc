#include "iac/plan.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/arm_id.h"
#include "common/strings.h"
#include "graph/arm_id.h"
#include "graph/model.h"
#include "iac/plan_address.h"
#include "iac/plan_bodies.h"
#include "iac/plan_cycles.h"
#include "iac/plan_exclusions.h"
#include "iac/plan_graph.h"
#include "iac/plan_inputs.h"
#include "iac/plan_order.h"
#include "iac/plan_principals.h"
#include "iac/plan_references.h"
#include "iac/plan_rewrite.h"
#include "iac/plan_selection.h"
#include "iac/symbols.h"

namespace atg::iac {
namespace {

constexpr std::string_view kOutsideSelection =
    "outside the selection (--subscription / --resource-group / --type and what the kept "
    "resources reference)";

Status CheckGuidFlag(std::string_view flag, const std::string& v) {
  if (!v.empty() && !IsGuid(v)) {
    return Status::InvalidArgument(std::string(flag) + " '" + v +
                                   "' is not a GUID; pass the id, e.g. "
                                   "00000000-0000-0000-0000-000000000000");
  }
  return Status::Ok();
}

// The kept candidates, in key order, and where each landed.
struct Selected {
  std::vector<size_t> candidates;  // candidate indexes, key order (ForEachNode order)
  std::vector<size_t> planned_of;  // candidate index -> planned index (SIZE_MAX when not kept)

  std::optional<size_t> Planned(std::optional<size_t> candidate) const {
    if (!candidate || planned_of[*candidate] == SIZE_MAX) return std::nullopt;
    return planned_of[*candidate];
  }
};

// Resource `k` of the plan from candidate `c`: ids and names in the target, parent and scope,
// the body with emitted children taken out, its references and dependencies (indexes before
// ordering), and the body rewritten for the target tenant.
void PlanResource(PlanGraph& g, const Selected& sel, size_t k, const Rewriter& rw,
                  PlannedResource* out, InputSlots* slots, std::vector<Dependency>* deps) {
  const size_t ci = sel.candidates[k];
  Candidate& c = g.arm[ci];
  PlannedResource& r = *out;
  r.key = c.node.key;
  r.source_id = c.node.original_id;
  r.id = rw.Id(c.node.original_id);
  r.type = c.type;
  auto parsed = ParseArmId(c.node.original_id);
  if (parsed.ok()) {
    r.name = parsed->name;
    r.arm_name = Join(parsed->names, "/");
    r.subscription_id =
        rw.target_subscription.empty() ? parsed->subscription_id : rw.target_subscription;
    r.resource_group = parsed->resource_group;
    if (!parsed->extension_scope.empty()) {
      r.scope = sel.Planned(g.Find(NormalizeArmId(parsed->extension_scope)));
    } else if (c.node.label != graph::label::kResourceGroup) {
      auto p = g.Find(NormalizeArmId(parsed->parent_id));
      if (p && g.arm[*p].node.label != graph::label::kResourceGroup &&
          g.arm[*p].node.label != graph::label::kSubscription) {
        r.parent = sel.Planned(p);
      }
    }
  } else {
    r.name = c.node.name;
    r.arm_name = c.node.name;
  }
  if (c.node.label == graph::label::kResourceGroup) {
    r.is_resource_group = true;
    r.resource_group = r.name;
  }
  r.location = c.location_settable ? c.node.location : "";
  r.api_version = c.api_version;
  DeriveAddress(&r);
  RemoveInlinedChildren(
      &c, [&](const std::string& key) { return sel.Planned(g.Find(key)).has_value(); });
  // References.
  for (const RawRef& ref : c.refs) {
    auto t = g.Resolve(ref.id);
    auto planned = sel.Planned(t);
    if (!planned || *t == ci) continue;
    r.references.push_back({ref.path, *planned, ReferenceSuffix(ref.id, g.arm[*t].node.key)});
    deps->push_back({*planned, false});
  }
  std::sort(r.references.begin(), r.references.end(),
            [](const Reference& a, const Reference& b) { return a.path < b.path; });
  if (r.parent) deps->push_back({*r.parent, true});
  if (r.scope) deps->push_back({*r.scope, true});
  if (!r.is_resource_group && !c.node.resource_group.empty() && !c.node.subscription_id.empty()) {
    if (auto rg = sel.Planned(g.Find("/subscriptions/" + c.node.subscription_id +
                                     "/resourcegroups/" + c.node.resource_group))) {
      deps->push_back({*rg, true});
    }
  }
  // Cross-tenant rewriting.
  json::value body(std::move(c.body));
  if (rw.Active()) RewriteBody(rw, &body, &slots->unmapped);
  r.body = std::move(body.as_object());
  slots->secrets = std::move(c.secrets);
  slots->public_inputs = std::move(c.public_inputs);
  c.node.properties.clear();
  c.node.properties.shrink_to_fit();
}

}  // namespace

std::string HomeSubscription(const Plan& plan) {
  std::map<std::string, std::pair<size_t, std::string>> count;  // lower id -> (n, as written)
  for (const PlannedResource& r : plan.resources) {
    if (r.subscription_id.empty()) continue;
    auto& c = count[ToLower(r.subscription_id)];
    if (c.first++ == 0) c.second = r.subscription_id;
  }
  size_t best = 0;
  std::string home;
  for (const auto& [lower, c] : count) {
    if (c.first > best) {
      best = c.first;
      home = c.second;
    }
  }
  return home;
}

Result<Plan> BuildPlan(graph::GraphStore& store, const PlanOptions& options) {
  auto has = store.HasGraph();
  if (!has.ok()) return has.status();
  if (!*has) {
    return Status::FailedPrecondition("the graph of tenant " + store.tenant_id() +
                                      " is empty: run `atg scan` first");
  }
  ATG_RETURN_IF_ERROR(CheckGuidFlag("--target-subscription", options.target_subscription));
  ATG_RETURN_IF_ERROR(CheckGuidFlag("--target-tenant-id", options.target_tenant_id));
  std::map<std::string, std::string> identity_map;
  for (const auto& [from, to] : options.identity_map) {
    if (!IsGuid(from) || !IsGuid(to)) {
      return Status::InvalidArgument("--identity-map: '" + from + "' -> '" + to +
                                     "' is not a pair of object ids (GUIDs)");
    }
    identity_map[ToLower(from)] = to;
  }
  SelectionFilters filters;
  for (const auto& s : options.subscriptions) filters.subscriptions.push_back(ToLower(s));
  for (const auto& s : options.resource_groups) filters.resource_groups.push_back(ToLower(s));
  for (const auto& s : options.types) filters.types.push_back(ToLower(s));

  auto read = ReadPlanGraph(store);
  if (!read.ok()) return read.status();
  PlanGraph& g = *read;
  Plan plan;
  plan.source_tenant_id = store.tenant_id();
  plan.target_tenant_id =
      options.target_tenant_id.empty() ? plan.source_tenant_id : options.target_tenant_id;

  // Selection (bodies are prepared as the closure reaches them).
  const std::vector<std::string> never = NeverDeployed(g);
  BodyStage bodies(g);
  auto kept = SelectResources(g, filters, never, bodies);
  if (!kept.ok()) return kept.status();
  Selected sel;
  sel.planned_of.assign(g.arm.size(), SIZE_MAX);
  for (size_t i = 0; i < g.arm.size(); ++i) {
    if ((*kept)[i]) {
      sel.planned_of[i] = sel.candidates.size();
      sel.candidates.push_back(i);
    } else {
      plan.skipped.push_back({g.arm[i].node.key, g.arm[i].node.type,
                              never[i].empty() ? std::string(kOutsideSelection) : never[i]});
    }
  }

  // Resources: ids, references and bodies in the target.
  Rewriter rw;
  for (const Candidate& c : g.arm) {
    if (!c.node.subscription_id.empty()) rw.source_subscriptions.insert(c.node.subscription_id);
  }
  rw.target_subscription = options.target_subscription;
  rw.source_tenant = ToLower(plan.source_tenant_id);
  rw.target_tenant = options.target_tenant_id;
  rw.identity_map = &identity_map;
  rw.cross_tenant = !options.target_tenant_id.empty() &&
                    !EqualsIgnoreCase(options.target_tenant_id, plan.source_tenant_id);
  const size_t n = sel.candidates.size();
  std::vector<PlannedResource> res(n);
  std::vector<InputSlots> slots(n);
  std::vector<std::vector<Dependency>> deps(n);
  std::unordered_map<std::string, size_t> target_ids;
  for (size_t k = 0; k < n; ++k) {
    PlanResource(g, sel, k, rw, &res[k], &slots[k], &deps[k]);
    const PlannedResource& r = res[k];
    if (!target_ids.emplace(ToLower(r.id), k).second) {
      return Status::InvalidArgument(
          "--target-subscription " + rw.target_subscription + " maps two resources to " + r.id +
          " (" + res[target_ids[ToLower(r.id)]].source_id + " and " + r.source_id +
          "); generate one source subscription at a time with --subscription");
    }
  }

  // Order, principals, names and inputs.
  OrderResources(deps, &res, &slots, &plan.broken_cycles);
  plan.resources = std::move(res);
  PlanPrincipals(g, *kept, filters.any(), identity_map, &plan);
  AssignSymbols(&plan);
  AssignInputs(g, slots, &plan);
  plan.notes = bodies.Notes();
  std::sort(plan.skipped.begin(), plan.skipped.end(),
            [](const Skipped& a, const Skipped& b) { return a.key < b.key; });
  return plan;
}

}  // namespace atg::iac
