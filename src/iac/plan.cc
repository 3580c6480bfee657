#include "iac/plan.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "common/arm_id.h"
#include "common/arm_types.h"
#include "common/strings.h"
#include "graph/arm_id.h"
#include "graph/model.h"
#include "iac/api_version.h"
#include "iac/compute_rules.h"
#include "iac/plan_address.h"
#include "iac/plan_cycles.h"
#include "iac/readonly_rules.h"
#include "iac/schema_fit.h"
#include "iac/secret_rules.h"
#include "iac/symbols.h"

namespace atg::iac {
namespace {

constexpr std::string_view kOutsideSelection =
    "outside the selection (--subscription / --resource-group / --type and what the kept "
    "resources reference)";

// The top-level fields of an ARM body that a deployment sets.
constexpr std::string_view kDeployableFields[] = {
    "sku",   "kind",      "identity",         "plan",       "tags",
    "zones", "managedBy", "extendedLocation", "properties",
};

bool IsArmLabel(std::string_view label) {
  return label == graph::label::kSubscription || label == graph::label::kResourceGroup ||
         label == graph::label::kResource || label == graph::label::kManagedIdentity ||
         label == graph::label::kRoleAssignment || label == graph::label::kRoleDefinition;
}

bool IsPrincipalLabel(std::string_view label) {
  return label == graph::label::kUser || label == graph::label::kGroup ||
         label == graph::label::kServicePrincipal;
}

bool Contains(const std::vector<std::string>& lower_values, std::string_view v) {
  return std::find(lower_values.begin(), lower_values.end(), v) != lower_values.end();
}

// An ARM id inside a body, with the string as written (for the reference's suffix).
struct RawRef {
  std::string id;  // as written
  std::string path;
};

// Mirrors graph::CollectArmIdRefs (same paths), keeping the original strings.
void CollectRaw(const json::value& v, std::string& path, std::vector<RawRef>* out) {
  if (v.is_string()) {
    std::string_view s = v.as_string();
    if (graph::LooksLikeArmId(s)) out->push_back({std::string(s), path});
  } else if (v.is_array()) {
    const size_t len = path.size();
    size_t i = 0;
    for (const auto& e : v.as_array()) {
      path += '[' + std::to_string(i++) + ']';
      CollectRaw(e, path, out);
      path.resize(len);
    }
  } else if (v.is_object()) {
    for (const auto& kv : v.as_object()) {
      const size_t len = path.size();
      if (graph::LooksLikeArmId(kv.key())) {
        out->push_back(
            {std::string(kv.key()), path + "[" + json::serialize(json::value(kv.key())) + "]"});
      }
      if (!path.empty()) path += '.';
      path.append(kv.key());
      CollectRaw(kv.value(), path, out);
      path.resize(len);
    }
  }
}

// Replaces "/subscriptions/{source}" (any case) by "/subscriptions/{target}" in `s`.
bool RewriteSubscriptions(std::string* s, const std::unordered_set<std::string>& sources,
                          const std::string& target) {
  static constexpr std::string_view kPrefix = "/subscriptions/";
  bool changed = false;
  size_t pos = 0;
  while (true) {
    std::string lower = ToLower(*s);
    pos = lower.find(kPrefix, pos);
    if (pos == std::string::npos) break;
    size_t start = pos + kPrefix.size();
    size_t end = lower.find('/', start);
    if (end == std::string::npos) end = lower.size();
    if (sources.count(lower.substr(start, end - start)) > 0) {
      s->replace(start, end - start, target);
      changed = true;
      pos = start + target.size();
    } else {
      pos = end;
    }
  }
  return changed;
}

struct Rewriter {
  std::unordered_set<std::string> source_subscriptions;  // lower-cased
  std::string target_subscription;
  std::string source_tenant;  // lower-cased
  std::string target_tenant;
  const std::map<std::string, std::string>* identity_map = nullptr;
  bool cross_tenant = false;  // a target tenant other than the source is set

  bool RewritesSubscriptions() const { return !target_subscription.empty(); }

  std::string Id(std::string id) const {
    if (RewritesSubscriptions())
      RewriteSubscriptions(&id, source_subscriptions, target_subscription);
    return id;
  }
};

// A principal id field a deployment sets (role assignments, access policies, SQL admins).
bool IsPrincipalField(std::string_view key) {
  return EqualsIgnoreCase(key, "principalId") || EqualsIgnoreCase(key, "objectId") ||
         EqualsIgnoreCase(key, "sid");
}

struct UnmappedSlot {
  std::string path;
  std::string field;
  std::string source_id;  // lower-cased
};

void RewriteValue(json::value& v, std::string_view key, const Rewriter& rw, std::string& path,
                  std::vector<UnmappedSlot>* unmapped) {
  if (v.is_string()) {
    std::string s(v.as_string());
    std::string lower = ToLower(s);
    if (IsGuid(lower)) {
      auto it = rw.identity_map->find(lower);
      if (it != rw.identity_map->end()) {
        v = it->second;
        return;
      }
      if (rw.cross_tenant && EqualsIgnoreCase(key, "tenantId") && lower == rw.source_tenant) {
        v = rw.target_tenant;
        return;
      }
      if (rw.cross_tenant && IsPrincipalField(key)) {
        unmapped->push_back({path, std::string(key), lower});
        return;
      }
    }
    if (rw.RewritesSubscriptions() &&
        RewriteSubscriptions(&s, rw.source_subscriptions, rw.target_subscription)) {
      v = s;
    }
    return;
  }
  if (v.is_array()) {
    const size_t len = path.size();
    size_t i = 0;
    for (auto& e : v.as_array()) {
      path += '[' + std::to_string(i++) + ']';
      RewriteValue(e, key, rw, path, unmapped);
      path.resize(len);
    }
    return;
  }
  if (!v.is_object()) return;
  auto& obj = v.as_object();
  // Keys may be ids too (user-assigned identities): rebuild the object when one changes.
  bool key_changed = false;
  if (rw.RewritesSubscriptions()) {
    for (const auto& kv : obj) {
      std::string k(kv.key());
      if (RewriteSubscriptions(&k, rw.source_subscriptions, rw.target_subscription)) {
        key_changed = true;
        break;
      }
    }
  }
  if (key_changed) {
    json::object rebuilt;
    for (auto& kv : obj) {
      std::string k(kv.key());
      RewriteSubscriptions(&k, rw.source_subscriptions, rw.target_subscription);
      rebuilt[k] = std::move(kv.value());
    }
    obj = std::move(rebuilt);
  }
  for (auto& kv : obj) {
    const size_t len = path.size();
    if (!path.empty()) path += '.';
    path.append(kv.key());
    RewriteValue(kv.value(), kv.key(), rw, path, unmapped);
    path.resize(len);
  }
}

// Removes the value at a concrete path made of '.' keys and [n] indexes (no id keys).
void RemoveAtPath(json::object& body, std::string_view path) {
  json::value* cur = nullptr;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      size_t close = path.find(']', i);
      if (close == std::string_view::npos || cur == nullptr || !cur->is_array()) return;
      size_t idx = std::stoul(std::string(path.substr(i + 1, close - i - 1)));
      if (idx >= cur->as_array().size()) return;
      cur = &cur->as_array()[idx];
      i = close + 1;
      continue;
    }
    size_t end = path.find_first_of(".[", i);
    if (end == std::string_view::npos) end = path.size();
    std::string key(path.substr(i, end - i));
    json::object* obj = cur == nullptr ? &body : cur->if_object();
    if (obj == nullptr) return;
    if (end == path.size()) {
      obj->erase(key);
      return;
    }
    cur = obj->if_contains(key);
    if (cur == nullptr) return;
    i = end;
  }
}

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
  auto check_id = [](std::string_view flag, const std::string& v) -> Status {
    if (!v.empty() && !IsGuid(v)) {
      return Status::InvalidArgument(std::string(flag) + " '" + v +
                                     "' is not a GUID; pass the id, e.g. "
                                     "00000000-0000-0000-0000-000000000000");
    }
    return Status::Ok();
  };
  ATG_RETURN_IF_ERROR(check_id("--target-subscription", options.target_subscription));
  ATG_RETURN_IF_ERROR(check_id("--target-tenant-id", options.target_tenant_id));
  std::map<std::string, std::string> identity_map;
  for (const auto& [from, to] : options.identity_map) {
    if (!IsGuid(from) || !IsGuid(to)) {
      return Status::InvalidArgument("--identity-map: '" + from + "' -> '" + to +
                                     "' is not a pair of object ids (GUIDs)");
    }
    identity_map[ToLower(from)] = to;
  }
  std::vector<std::string> f_subs, f_groups, f_types;
  for (const auto& s : options.subscriptions) f_subs.push_back(ToLower(s));
  for (const auto& s : options.resource_groups) f_groups.push_back(ToLower(s));
  for (const auto& s : options.types) f_types.push_back(ToLower(s));
  const bool filtered = !f_subs.empty() || !f_groups.empty() || !f_types.empty();

  // ---- read the graph ----
  std::vector<Candidate> arm;
  std::vector<graph::Node> principal_nodes;
  std::unordered_map<std::string, size_t> arm_index;
  json::object api_versions;       // lower type -> the tenant's newest stable version
  json::object api_version_lists;  // lower type -> every version the tenant offers
  std::string tenant_key = graph::TenantKey(store.tenant_id());
  ATG_RETURN_IF_ERROR(store.ForEachNode({}, [&](graph::Node&& n) -> Status {
    if (IsArmLabel(n.label)) {
      arm_index.emplace(n.key, arm.size());
      arm.emplace_back();
      arm.back().node = std::move(n);
    } else if (IsPrincipalLabel(n.label)) {
      principal_nodes.push_back(std::move(n));
    } else if (n.label == graph::label::kTenant) {
      auto p = n.Properties();
      if (p.ok() && p->is_object()) {
        if (const json::object* v = FindObject(&p->as_object(), "api_versions")) {
          api_versions = *v;
        }
        if (const json::object* v = FindObject(&p->as_object(), "api_version_lists")) {
          api_version_lists = *v;
        }
      }
    }
    return Status::Ok();
  }));
  std::unordered_map<std::string, size_t> principal_index;
  for (size_t i = 0; i < principal_nodes.size(); ++i) {
    principal_index.emplace(principal_nodes[i].key, i);
  }
  // Edges the selection follows, and group memberships.
  std::vector<std::vector<size_t>> follows(arm.size());
  std::vector<std::pair<size_t, size_t>> member_of;             // (member, group) principals
  std::vector<std::vector<size_t>> principal_refs(arm.size());  // resource -> principals
  graph::EdgeFilter ef;
  ef.types = {std::string(graph::edge::kUses),       std::string(graph::edge::kUsesIdentity),
              std::string(graph::edge::kLogsTo),     std::string(graph::edge::kConnectedTo),
              std::string(graph::edge::kSecuredBy),  std::string(graph::edge::kMemberOf),
              std::string(graph::edge::kAssignedTo), std::string(graph::edge::kHasRole)};
  ATG_RETURN_IF_ERROR(store.ForEachEdge(ef, [&](graph::Edge&& e) -> Status {
    if (e.type == graph::edge::kMemberOf) {
      auto a = principal_index.find(e.from);
      auto b = principal_index.find(e.to);
      if (a != principal_index.end() && b != principal_index.end()) {
        member_of.emplace_back(a->second, b->second);
      }
      return Status::Ok();
    }
    auto from = arm_index.find(e.from);
    if (from == arm_index.end()) return Status::Ok();
    if (auto to = arm_index.find(e.to); to != arm_index.end()) {
      follows[from->second].push_back(to->second);
    } else if (auto p = principal_index.find(e.to); p != principal_index.end()) {
      principal_refs[from->second].push_back(p->second);
    }
    return Status::Ok();
  }));

  // ---- what can never be deployed ----
  Plan plan;
  plan.source_tenant_id = store.tenant_id();
  plan.target_tenant_id =
      options.target_tenant_id.empty() ? plan.source_tenant_id : options.target_tenant_id;
  std::vector<std::string> skip_reason(arm.size());
  std::vector<size_t> parent_of(arm.size(), SIZE_MAX);
  std::vector<std::vector<size_t>> children(arm.size());
  std::unordered_map<std::string, std::string> managed_groups;  // rg key -> managedBy
  for (size_t i = 0; i < arm.size(); ++i) {
    const graph::Node& n = arm[i].node;
    for (const std::string& a : graph::ArmIdAncestors(n.key)) {
      auto it = arm_index.find(a);
      if (it != arm_index.end()) {
        parent_of[i] = it->second;
        children[it->second].push_back(i);
        break;
      }
    }
    if (n.label == graph::label::kResourceGroup) {
      auto p = n.Properties();
      if (p.ok() && p->is_object()) {
        auto by = FindString(&p->as_object(), "managedBy");
        if (by && !by->empty()) managed_groups[n.key] = std::string(*by);
      }
    }
  }
  for (size_t i = 0; i < arm.size(); ++i) {
    const graph::Node& n = arm[i].node;
    if (n.label == graph::label::kSubscription) {
      skip_reason[i] =
          "subscription: not created by IaC; the resources deploy into the target subscription";
    } else if (n.label == graph::label::kRoleDefinition) {
      bool tenant_level = n.subscription_id.empty();
      bool builtin = false;
      auto p = n.Properties();
      if (p.ok() && p->is_object()) {
        const json::object* props = FindObject(&p->as_object(), "properties");
        // ARM writes properties.type; older payloads and Graph write roleType.
        for (const char* field : {"type", "roleType"}) {
          auto rt = FindString(props, field);
          builtin = builtin || (rt && EqualsIgnoreCase(*rt, "BuiltInRole"));
        }
      }
      if (builtin || tenant_level) {
        skip_reason[i] = "built-in role definition: exists in every tenant";
      }
    }
    if (n.type == "microsoft.compute/virtualmachines") {
      // The OS disk a VM creates from its image is created with it, not on its own.
      auto p = n.Properties();
      std::string disk = p.ok() && p->is_object() ? OwnedOsDiskId(p->as_object()) : "";
      if (auto it = arm_index.find(graph::NormalizeArmId(disk));
          !disk.empty() && it != arm_index.end()) {
        skip_reason[it->second] =
            "OS disk of virtual machine " + n.name + ": created with the virtual machine";
      }
    }
    if (skip_reason[i].empty() && !n.subscription_id.empty() && !n.resource_group.empty()) {
      std::string rg_key =
          "/subscriptions/" + n.subscription_id + "/resourcegroups/" + n.resource_group;
      auto it = managed_groups.find(rg_key);
      if (it != managed_groups.end()) {
        skip_reason[i] = "in a managed resource group: created and owned by " + it->second;
      }
    }
  }

  // ---- bodies ----
  const AzureSchemas& schemas = AzureSchemas::Embedded();
  FitNotes fit_notes;
  std::vector<std::string> shape_notes;  // compute names changed to ones Azure accepts
  // Every version the tenant offers for a type: the list the scan kept, else its newest.
  auto tenant_api_versions = [&](const std::string& lower_type) {
    std::vector<std::string> out;
    if (const json::value* list = api_version_lists.if_contains(lower_type);
        list && list->is_array()) {
      for (const auto& v : list->as_array()) {
        if (v.is_string()) out.emplace_back(v.as_string());
      }
    } else if (auto newest = FindString(&api_versions, lower_type)) {
      out.emplace_back(*newest);
    }
    return out;
  };
  auto prepare = [&](size_t i) -> Status {
    Candidate& c = arm[i];
    if (c.prepared) return Status::Ok();
    c.prepared = true;
    auto parsed = c.node.Properties();
    if (!parsed.ok()) return parsed.status();
    json::object full = parsed->is_object() ? std::move(parsed->as_object()) : json::object{};
    // The id keeps Azure's casing of the type; Resource Graph lower-cases body.type.
    auto id = graph::ParseArmId(c.node.original_id);
    auto t = FindString(&full, "type");
    if (id.ok() && EqualsIgnoreCase(id->type, c.node.type)) {
      c.type = id->type;
    } else if (t && !t->empty()) {
      c.type = std::string(*t);
    } else {
      c.type = c.node.type;
    }
    for (std::string_view f : kDeployableFields) {
      if (auto* v = full.if_contains(f); v != nullptr && !v->is_null()) c.body[f] = std::move(*v);
    }
    RemoveReadOnly(c.node.type, &c.body);
    const ApiVersionPick pick = PickApiVersion(c.type, tenant_api_versions(c.node.type),
                                               DefaultApiVersion(c.node.type), schemas);
    c.api_version = pick.version;
    if (pick.schema) {
      const SchemaNode::Property* location = pick.schema->FindProperty("location");
      c.location_settable = location && !location->read_only();
      fit_notes.Add(c.type, pick.version, FitBody(*pick.schema, &c.body));
    } else {
      fit_notes.NotFitted(c.type, pick.version, pick.schema_known);
    }
    std::vector<std::string> compute_notes;
    c.public_inputs = ShapeCompute(c.node.type, &c.body, &compute_notes);
    for (const std::string& n : compute_notes) shape_notes.push_back(c.node.original_id + ": " + n);
    c.secrets = ExtractSecrets(c.node.type, &c.body);
    std::string path;
    CollectRaw(c.body, path, &c.refs);
    return Status::Ok();
  };
  // The node an ARM id names: itself, or the nearest enclosing resource (a pool of a load
  // balancer). Resource groups and subscriptions only when named exactly.
  auto resolve = [&](std::string_view id) -> std::optional<size_t> {
    std::string key = graph::NormalizeArmId(id);
    if (auto it = arm_index.find(key); it != arm_index.end()) return it->second;
    for (const std::string& a : graph::ArmIdAncestors(key)) {
      auto it = arm_index.find(a);
      if (it == arm_index.end()) continue;
      const std::string& label = arm[it->second].node.label;
      if (label == graph::label::kResourceGroup || label == graph::label::kSubscription) {
        return std::nullopt;
      }
      return it->second;
    }
    return std::nullopt;
  };

  // ---- selection ----
  std::vector<char> kept(arm.size(), 0);
  std::vector<size_t> work;
  auto keep = [&](size_t i) {
    if (kept[i] || !skip_reason[i].empty()) return;
    kept[i] = 1;
    work.push_back(i);
  };
  for (size_t i = 0; i < arm.size(); ++i) {
    const graph::Node& n = arm[i].node;
    if (!f_subs.empty() && !Contains(f_subs, n.subscription_id)) continue;
    if (!f_groups.empty() && !Contains(f_groups, n.resource_group)) continue;
    if (!f_types.empty() && !Contains(f_types, n.type)) continue;
    keep(i);
  }
  while (!work.empty()) {
    size_t i = work.back();
    work.pop_back();
    ATG_RETURN_IF_ERROR(prepare(i));
    const graph::Node& n = arm[i].node;
    // Parents, scopes and the resource group.
    for (const std::string& a : graph::ArmIdAncestors(n.key)) {
      if (auto it = arm_index.find(a); it != arm_index.end()) keep(it->second);
    }
    if (!filtered) continue;
    for (const RawRef& r : arm[i].refs) {
      if (auto t = resolve(r.id)) keep(*t);
    }
    for (size_t t : follows[i]) keep(t);
    // Children and extensions (subnets, role assignments, diagnostic settings) of a kept
    // resource come with it; a resource group pulled in as a container does not bring its
    // other resources.
    if (n.label != graph::label::kResourceGroup && n.label != graph::label::kSubscription) {
      for (size_t c : children[i]) keep(c);
    }
  }

  // ---- planned resources, in key order first ----
  std::vector<size_t> selected;  // candidate indexes, key order (ForEachNode order)
  std::vector<size_t> planned_of(arm.size(), SIZE_MAX);
  for (size_t i = 0; i < arm.size(); ++i) {
    if (kept[i]) {
      planned_of[i] = selected.size();
      selected.push_back(i);
    } else {
      plan.skipped.push_back(
          {arm[i].node.key, arm[i].node.type,
           skip_reason[i].empty() ? std::string(kOutsideSelection) : skip_reason[i]});
    }
  }

  Rewriter rw;
  for (const auto& c : arm) {
    if (!c.node.subscription_id.empty()) rw.source_subscriptions.insert(c.node.subscription_id);
  }
  rw.target_subscription = options.target_subscription;
  rw.source_tenant = ToLower(plan.source_tenant_id);
  rw.target_tenant = options.target_tenant_id;
  rw.identity_map = &identity_map;
  rw.cross_tenant = !options.target_tenant_id.empty() &&
                    !EqualsIgnoreCase(options.target_tenant_id, plan.source_tenant_id);

  std::vector<PlannedResource> res(selected.size());
  std::vector<std::vector<SecretSlot>> secrets(selected.size());
  std::vector<std::vector<SecretSlot>> public_inputs(selected.size());
  std::vector<std::vector<UnmappedSlot>> unmapped(selected.size());
  std::vector<std::vector<std::pair<size_t, int>>> deps(selected.size());  // (target, structural)
  std::unordered_map<std::string, size_t> target_ids;
  for (size_t k = 0; k < selected.size(); ++k) {
    Candidate& c = arm[selected[k]];
    PlannedResource& r = res[k];
    r.key = c.node.key;
    r.source_id = c.node.original_id;
    r.id = rw.Id(c.node.original_id);
    r.type = c.type;
    auto parsed = graph::ParseArmId(c.node.original_id);
    if (parsed.ok()) {
      r.name = parsed->name;
      r.arm_name = Join(parsed->names, "/");
      r.subscription_id =
          rw.target_subscription.empty() ? parsed->subscription_id : rw.target_subscription;
      r.resource_group = parsed->resource_group;
      if (!parsed->extension_scope.empty()) {
        if (auto it = arm_index.find(graph::NormalizeArmId(parsed->extension_scope));
            it != arm_index.end() && kept[it->second]) {
          r.scope = planned_of[it->second];
        }
      } else if (c.node.label != graph::label::kResourceGroup) {
        auto it = arm_index.find(graph::NormalizeArmId(parsed->parent_id));
        if (it != arm_index.end() && kept[it->second] &&
            arm[it->second].node.label != graph::label::kResourceGroup &&
            arm[it->second].node.label != graph::label::kSubscription) {
          r.parent = planned_of[it->second];
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
    if (!target_ids.emplace(ToLower(r.id), k).second) {
      return Status::InvalidArgument(
          "--target-subscription " + rw.target_subscription + " maps two resources to " + r.id +
          " (" + res[target_ids[ToLower(r.id)]].source_id + " and " + r.source_id +
          "); generate one source subscription at a time with --subscription");
    }
    // Children emitted on their own leave the parent's inlined arrays.
    for (const ChildList* cl : ChildListsOf(c.node.type)) {
      if (cl->inlined_property.empty()) continue;
      json::object* props =
          c.body.if_contains("properties") != nullptr ? c.body["properties"].if_object() : nullptr;
      if (props == nullptr) continue;
      json::value* arr = props->if_contains(cl->inlined_property);
      if (arr == nullptr || !arr->is_array()) continue;
      json::array rest;
      for (auto& e : arr->as_array()) {
        auto id = FindString(e.if_object(), "id");
        auto it = id ? arm_index.find(graph::NormalizeArmId(*id)) : arm_index.end();
        if (it != arm_index.end() && kept[it->second]) continue;
        rest.push_back(std::move(e));
      }
      if (rest.empty()) {
        props->erase(cl->inlined_property);
      } else {
        *arr = std::move(rest);
      }
      c.refs.clear();
      std::string path;
      CollectRaw(c.body, path, &c.refs);
    }
    // References.
    for (const RawRef& ref : c.refs) {
      auto t = resolve(ref.id);
      if (!t || !kept[*t] || *t == selected[k]) continue;
      const std::string& target_key = arm[*t].node.key;
      std::string suffix;
      if (ref.id.size() > target_key.size() &&
          graph::NormalizeArmId(ref.id).compare(0, target_key.size(), target_key) == 0) {
        suffix = ref.id.substr(target_key.size());
        while (!suffix.empty() && suffix.back() == '/') suffix.pop_back();
      }
      r.references.push_back({ref.path, planned_of[*t], suffix});
      deps[k].push_back({planned_of[*t], 0});
    }
    std::sort(r.references.begin(), r.references.end(),
              [](const Reference& a, const Reference& b) { return a.path < b.path; });
    if (r.parent) deps[k].push_back({*r.parent, 1});
    if (r.scope) deps[k].push_back({*r.scope, 1});
    if (!r.is_resource_group && !c.node.resource_group.empty() && !c.node.subscription_id.empty()) {
      std::string rg_key =
          "/subscriptions/" + c.node.subscription_id + "/resourcegroups/" + c.node.resource_group;
      if (auto it = arm_index.find(rg_key); it != arm_index.end() && kept[it->second]) {
        deps[k].push_back({planned_of[it->second], 1});
      }
    }
    // Cross-tenant rewriting.
    json::value body(std::move(c.body));
    std::string path;
    if (rw.RewritesSubscriptions() || rw.cross_tenant || !identity_map.empty()) {
      RewriteValue(body, "", rw, path, &unmapped[k]);
    }
    for (const UnmappedSlot& u : unmapped[k]) RemoveAtPath(body.as_object(), u.path);
    r.body = std::move(body.as_object());
    secrets[k] = std::move(c.secrets);
    public_inputs[k] = std::move(c.public_inputs);
    c.node.properties.clear();
    c.node.properties.shrink_to_fit();
  }

  // ---- order ----
  std::vector<std::vector<Dependency>> graph_deps(res.size());
  for (size_t k = 0; k < res.size(); ++k) {
    for (auto [t, structural] : deps[k]) graph_deps[k].push_back({t, structural != 0});
  }
  OrderResult order = OrderWithCycles(graph_deps);
  std::vector<size_t> new_index(res.size());
  for (size_t pos = 0; pos < order.order.size(); ++pos) new_index[order.order[pos]] = pos;
  std::set<std::pair<size_t, size_t>> broken(order.broken.begin(), order.broken.end());
  for (const auto& [from, to] : order.broken) {
    plan.broken_cycles.emplace_back(res[from].key, res[to].key);
  }
  std::sort(plan.broken_cycles.begin(), plan.broken_cycles.end());
  for (size_t k = 0; k < res.size(); ++k) {
    PlannedResource& r = res[k];
    std::set<size_t> d;
    for (auto [t, structural] : deps[k]) {
      if (!structural && broken.count({k, t}) > 0) continue;
      d.insert(new_index[t]);
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
  plan.resources.resize(res.size());
  std::vector<std::vector<SecretSlot>> ordered_secrets(res.size());
  std::vector<std::vector<SecretSlot>> ordered_public(res.size());
  std::vector<std::vector<UnmappedSlot>> ordered_unmapped(res.size());
  for (size_t k = 0; k < res.size(); ++k) {
    plan.resources[new_index[k]] = std::move(res[k]);
    ordered_secrets[new_index[k]] = std::move(secrets[k]);
    ordered_public[new_index[k]] = std::move(public_inputs[k]);
    ordered_unmapped[new_index[k]] = std::move(unmapped[k]);
  }

  // ---- principals ----
  std::vector<char> principal_kept(principal_nodes.size(), 0);
  for (size_t p = 0; p < principal_nodes.size(); ++p) {
    const graph::Node& n = principal_nodes[p];
    auto props = n.Properties();
    const json::object* o = props.ok() ? props->if_object() : nullptr;
    auto sp_type = FindString(o, "servicePrincipalType");
    if (sp_type && EqualsIgnoreCase(*sp_type, "ManagedIdentity")) {
      plan.skipped.push_back({n.key, "",
                              "managed identity service principal: created by Azure with its "
                              "identity"});
      continue;
    }
    principal_kept[p] = filtered ? 2 : 1;  // 2: decided below
  }
  if (filtered) {
    std::vector<size_t> pwork;
    for (size_t i = 0; i < arm.size(); ++i) {
      if (!kept[i]) continue;
      for (size_t p : principal_refs[i]) {
        if (principal_kept[p] == 2) {
          principal_kept[p] = 1;
          pwork.push_back(p);
        }
      }
    }
    // Members of kept groups come with them.
    std::vector<std::vector<size_t>> members_of(principal_nodes.size());
    for (auto [m, g] : member_of) members_of[g].push_back(m);
    while (!pwork.empty()) {
      size_t g = pwork.back();
      pwork.pop_back();
      for (size_t m : members_of[g]) {
        if (principal_kept[m] == 2) {
          principal_kept[m] = 1;
          pwork.push_back(m);
        }
      }
    }
  }
  std::vector<size_t> principal_planned(principal_nodes.size(), SIZE_MAX);
  for (size_t p = 0; p < principal_nodes.size(); ++p) {
    const graph::Node& n = principal_nodes[p];
    if (principal_kept[p] == 2) {
      plan.skipped.push_back({n.key, "", std::string(kOutsideSelection)});
      continue;
    }
    if (principal_kept[p] != 1) continue;
    PlannedPrincipal pp;
    pp.key = n.key;
    pp.kind = n.label == graph::label::kUser    ? "user"
              : n.label == graph::label::kGroup ? "group"
                                                : "service_principal";
    pp.object_id =
        ToLower(n.original_id.empty() ? n.key.substr(n.key.rfind('/') + 1) : n.original_id);
    if (auto it = identity_map.find(pp.object_id); it != identity_map.end()) {
      pp.target_object_id = it->second;
    }
    auto props = n.Properties();
    if (props.ok() && props->is_object()) {
      for (auto& kv : props->as_object()) {
        std::string_view k = kv.key();
        if (k == "id" || k == "members" || k.rfind("@odata", 0) == 0 ||
            EqualsIgnoreCase(k, "createdDateTime") || EqualsIgnoreCase(k, "deletedDateTime")) {
          continue;
        }
        pp.body[k] = std::move(kv.value());
      }
    }
    auto dn = FindString(&pp.body, "displayName");
    pp.display_name = dn ? std::string(*dn) : n.name;
    principal_planned[p] = plan.principals.size();
    plan.principals.push_back(std::move(pp));
  }
  for (auto [m, g] : member_of) {
    if (principal_planned[m] != SIZE_MAX && principal_planned[g] != SIZE_MAX) {
      plan.principals[principal_planned[g]].members.push_back(principal_planned[m]);
    }
  }
  for (auto& pp : plan.principals) {
    std::sort(pp.members.begin(), pp.members.end());
    pp.members.erase(std::unique(pp.members.begin(), pp.members.end()), pp.members.end());
  }

  // ---- names and inputs ----
  AssignSymbols(&plan);
  std::set<std::string> taken;
  for (const auto& r : plan.resources) taken.insert(r.symbol);
  for (const auto& p : plan.principals) taken.insert(p.symbol);
  std::set<std::string> unmapped_ids;
  auto add_input = [&](size_t k, const std::string& field, std::string description,
                       std::string path, bool secret) {
    std::string base = plan.resources[k].symbol + "_" + SnakeCase(field);
    std::string name = base;
    for (int n = 2; taken.count(name) > 0; ++n) name = base + "_" + std::to_string(n);
    taken.insert(name);
    plan.inputs.push_back({name, std::move(description), secret, k, std::move(path)});
  };
  for (size_t k = 0; k < plan.resources.size(); ++k) {
    for (const SecretSlot& s : ordered_secrets[k]) {
      add_input(k, s.field,
                s.description + " of " + plan.resources[k].type + " " + plan.resources[k].arm_name +
                    " (" + s.path + ")",
                s.path, true);
    }
    for (const SecretSlot& s : ordered_public[k]) {
      add_input(k, s.field,
                s.description + " on " + plan.resources[k].type + " " + plan.resources[k].arm_name +
                    " (" + s.path + ")",
                s.path, false);
    }
    for (const UnmappedSlot& u : ordered_unmapped[k]) {
      unmapped_ids.insert(u.source_id);
      std::string who;
      for (const char* prefix : {"/users/", "/groups/", "/servicePrincipals/"}) {
        auto it = principal_index.find(prefix + u.source_id);
        if (it != principal_index.end()) {
          who = " (" + principal_nodes[it->second].name + ")";
          break;
        }
      }
      add_input(k, u.field,
                "object id in the target tenant of source principal " + u.source_id + who +
                    ", used by " + plan.resources[k].type + " " + plan.resources[k].arm_name +
                    " (" + u.path + "); add it to --identity-map to fill it in",
                u.path, false);
    }
  }
  std::sort(plan.inputs.begin(), plan.inputs.end(),
            [](const Input& a, const Input& b) { return a.name < b.name; });
  plan.unmapped_principals.assign(unmapped_ids.begin(), unmapped_ids.end());
  plan.notes = fit_notes.Lines();
  std::sort(shape_notes.begin(), shape_notes.end());
  plan.notes.insert(plan.notes.end(), shape_notes.begin(), shape_notes.end());
  std::sort(plan.skipped.begin(), plan.skipped.end(),
            [](const Skipped& a, const Skipped& b) { return a.key < b.key; });
  return plan;
}

}  // namespace atg::iac
