#include "sim/tenant_index.h"

#include <algorithm>
#include <unordered_set>

#include "common/strings.h"
#include "sim/api_common.h"

namespace atg::sim {

namespace {

const std::vector<const IndexedResource*> kNoResources;
const std::vector<const IndexedResourceGroup*> kNoGroups;

std::string StringOr(const json::object& o, std::string_view key, std::string_view dflt = "") {
  auto s = FindString(&o, key);
  return std::string(s ? *s : dflt);
}

std::string JoinSegments(const std::vector<std::string_view>& segs, size_t end) {
  std::string out;
  for (size_t i = 0; i < end; ++i) {
    out += '/';
    out += segs[i];
  }
  return out;
}

// The lower-cased id of what a resource id is "under": the parent of a child, the scope of an
// extension.
struct IdShape {
  std::string subscription_id;
  std::string resource_group;
  std::string parent_lower;  // for children
  std::string scope_lower;   // for extensions
  bool looks_child = false;
  bool looks_extension = false;
};

IdShape ParseId(std::string_view id) {
  IdShape s;
  auto segs = PathSegments(id);
  if (segs.size() >= 2 && EqualsIgnoreCase(segs[0], "subscriptions")) {
    s.subscription_id = std::string(segs[1]);
    if (segs.size() >= 4 && EqualsIgnoreCase(segs[2], "resourceGroups")) {
      s.resource_group = std::string(segs[3]);
    }
  }
  size_t p = segs.size();
  for (size_t i = segs.size(); i-- > 0;) {
    if (EqualsIgnoreCase(segs[i], "providers")) {
      p = i;
      break;
    }
  }
  if (p == segs.size()) return s;
  size_t tail = segs.size() - p - 1;  // namespace, type, name[, type, name]...
  s.scope_lower = ToLower(JoinSegments(segs, p));
  if (tail > 3) {
    s.looks_child = true;
    s.parent_lower = ToLower(JoinSegments(segs, segs.size() - 2));
  }
  for (size_t i = 0; i < p; ++i) {
    if (EqualsIgnoreCase(segs[i], "providers")) s.looks_extension = !s.looks_child;
  }
  return s;
}

}  // namespace

TenantIndex::TenantIndex(const Tenant& tenant) { Build(tenant); }

TenantIndex::TenantIndex(Tenant&& tenant) : owned_tenant_(std::move(tenant)) {
  Build(*owned_tenant_);
}

void TenantIndex::Build(const Tenant& tenant) {
  tenant_id_ = tenant.tenant_id;
  subscriptions_.reserve(tenant.subscriptions.size());
  for (const auto& v : tenant.subscriptions) {
    if (!v.is_object()) continue;
    const auto& src = v.get_object();
    IndexedSubscription s;
    s.subscription_id = StringOr(src, "subscriptionId");
    if (s.subscription_id.empty()) continue;
    s.id = "/subscriptions/" + s.subscription_id;
    s.lower = ToLower(s.subscription_id);
    s.display_name = StringOr(src, "displayName", s.subscription_id);
    json::object& b = s.body;
    b["id"] = s.id;
    b["authorizationSource"] = "RoleBased";
    b["managedByTenants"] = json::array();
    b["subscriptionId"] = s.subscription_id;
    b["tenantId"] = tenant_id_;
    b["displayName"] = s.display_name;
    b["state"] = StringOr(src, "state", "Enabled");
    json::object policies;
    policies["locationPlacementId"] = "Public_2014-09-01";
    policies["quotaId"] = "PayAsYouGo_2014-09-01";
    policies["spendingLimit"] = "Off";
    b["subscriptionPolicies"] = std::move(policies);
    for (const auto& kv : src) {
      if (!b.contains(kv.key())) b[kv.key()] = kv.value();
    }
    s.json = json::serialize(b);
    subscription_by_id_[s.lower] = subscriptions_.size();
    subscriptions_.push_back(std::move(s));
  }

  for (const auto& v : tenant.resource_groups) {
    if (!v.is_object()) continue;
    const auto& src = v.get_object();
    IndexedResourceGroup g;
    g.id = StringOr(src, "id");
    IdShape shape = ParseId(g.id);
    g.name = StringOr(src, "name", shape.resource_group);
    if (g.id.empty() || shape.subscription_id.empty()) continue;
    g.id_lower = ToLower(g.id);
    g.subscription = ToLower(shape.subscription_id);
    g.location = StringOr(src, "location");
    json::object& b = g.body;
    b["id"] = g.id;
    b["name"] = g.name;
    b["type"] = "Microsoft.Resources/resourceGroups";
    b["location"] = g.location;
    for (const auto& kv : src) {
      if (!b.contains(kv.key())) b[kv.key()] = kv.value();
    }
    if (!b.contains("properties"))
      b["properties"] = json::object{{"provisioningState", "Succeeded"}};
    g.json = json::serialize(b);
    resource_groups_.push_back(std::move(g));
    const IndexedResourceGroup* p = &resource_groups_.back();
    rg_by_key_[p->subscription + "/" + ToLower(p->name)] = p;
    rgs_by_sub_[p->subscription].push_back(p);
  }

  IndexResources(tenant);
  InlineChildren();
  for (auto& r : resources_) r.json = json::serialize(*r.body);
  BuildGraphTables();
  IndexDirectory(tenant);
}

void TenantIndex::IndexResources(const Tenant& tenant) {
  resources_.reserve(tenant.resources.size());
  for (const auto& v : tenant.resources) {
    if (!v.is_object()) continue;
    const auto& body = v.get_object();
    IndexedResource r;
    r.body = &body;
    r.id = StringOr(body, "id");
    if (r.id.empty()) continue;
    r.id_lower = ToLower(r.id);
    r.name = StringOr(body, "name");
    r.type = StringOr(body, "type");
    r.type_lower = ToLower(r.type);
    IdShape shape = ParseId(r.id);
    r.subscription_id = shape.subscription_id;
    r.subscription = ToLower(shape.subscription_id);
    r.resource_group = shape.resource_group;
    r.resource_group_lower = ToLower(shape.resource_group);
    r.info = FindResourceType(r.type);
    if (r.info != nullptr && r.info->extension) {
      r.kind = ResourceKind::kExtension;
    } else if (r.info != nullptr && r.info->child) {
      r.kind = ResourceKind::kChild;
    } else if (r.info != nullptr) {
      r.kind = ResourceKind::kTopLevel;
    } else if (shape.looks_child) {
      r.kind = ResourceKind::kChild;
    } else if (shape.looks_extension) {
      r.kind = ResourceKind::kExtension;
    }
    if (r.kind == ResourceKind::kChild) r.parent_lower = shape.parent_lower;
    if (r.kind == ResourceKind::kExtension) r.parent_lower = shape.scope_lower;
    if (r.kind == ResourceKind::kChild && r.parent_lower.empty()) r.kind = ResourceKind::kTopLevel;
    resources_.push_back(std::move(r));
  }

  by_id_.reserve(resources_.size() * 2);
  for (const auto& r : resources_) {
    by_id_.emplace(r.id_lower, &r);  // the first wins when a tenant repeats an id
    switch (r.kind) {
      case ResourceKind::kTopLevel:
        if (r.subscription.empty()) break;
        top_by_sub_[r.subscription].push_back(&r);
        if (!r.resource_group.empty()) {
          top_by_rg_[r.subscription + "/" + r.resource_group_lower].push_back(&r);
        }
        top_by_type_[r.subscription + "|" + r.type_lower].push_back(&r);
        break;
      case ResourceKind::kChild:
        children_[r.parent_lower + "|" + r.type_lower].push_back(&r);
        break;
      case ResourceKind::kExtension:
        extensions_[r.parent_lower].push_back(&r);
        break;
    }
    if (r.type_lower == "microsoft.authorization/roleassignments") role_assignments_.push_back(&r);
    if (r.type_lower == "microsoft.authorization/roledefinitions") role_definitions_.push_back(&r);
  }
}

void TenantIndex::InlineChildren() {
  // Parent id -> (property, children) for every child type ARM inlines into its parent.
  std::unordered_map<const IndexedResource*,
                     std::vector<std::pair<std::string, const IndexedResource*>>>
      by_parent;
  for (const auto& r : resources_) {
    if (r.kind != ResourceKind::kChild || r.info == nullptr ||
        r.info->inlined_in_parent_property.empty()) {
      continue;
    }
    auto it = by_id_.find(r.parent_lower);
    if (it == by_id_.end()) continue;
    by_parent[it->second].emplace_back(r.info->inlined_in_parent_property, &r);
  }
  for (auto& [parent_c, kids] : by_parent) {
    auto* parent = const_cast<IndexedResource*>(parent_c);
    const json::object* props = FindObject(parent->body, "properties");
    // Keep what the tenant wrote when it already inlines (never replace or truncate a body).
    std::unordered_set<std::string> present;
    for (const auto& [prop, child] : kids) {
      if (props != nullptr && props->contains(prop)) present.insert(prop);
    }
    bool any_missing = false;
    for (const auto& [prop, child] : kids) any_missing |= !present.count(prop);
    if (!any_missing) continue;
    owned_bodies_.push_back(*parent->body);
    json::object& copy = owned_bodies_.back();
    json::value& pv = copy["properties"];
    if (!pv.is_object()) pv = json::object();
    json::object& p = pv.get_object();
    for (const auto& [prop, child] : kids) {
      if (present.count(prop)) continue;
      json::value& arr = p[prop];
      if (!arr.is_array()) arr = json::array();
      arr.get_array().push_back(*child->body);
    }
    parent->body = &copy;
  }
}

void TenantIndex::BuildGraphTables() {
  auto row_of = [&](const IndexedResource& r) {
    GraphRow g;
    g.body = r.body;
    g.id = r.id;
    g.id_lower = r.id_lower;
    g.name = r.name;
    g.type_lower = r.type_lower;
    g.tenant_id = tenant_id_;
    g.kind = StringOr(*r.body, "kind");
    g.location = StringOr(*r.body, "location");
    g.resource_group = r.resource_group_lower;
    g.subscription_id = r.subscription_id;
    g.subscription = r.subscription;
    g.managed_by = StringOr(*r.body, "managedBy");
    return g;
  };
  for (const auto& r : resources_) {
    bool authz = r.type_lower == "microsoft.authorization/roleassignments" ||
                 r.type_lower == "microsoft.authorization/roledefinitions";
    if (authz) {
      arg_authorization_.push_back(row_of(r));
      continue;
    }
    bool in_arg =
        r.info != nullptr ? r.info->in_resource_graph : r.kind != ResourceKind::kExtension;
    if (in_arg) arg_resources_.push_back(row_of(r));
  }
  for (const auto& s : subscriptions_) {
    json::object b;
    json::object props;
    props["state"] = s.body.at("state");
    props["subscriptionPolicies"] = s.body.at("subscriptionPolicies");
    props["managementGroupAncestorsChain"] = json::array();
    b["properties"] = std::move(props);
    if (const auto* tags = s.body.if_contains("tags")) b["tags"] = *tags;
    owned_bodies_.push_back(std::move(b));
    GraphRow g;
    g.body = &owned_bodies_.back();
    g.id = s.id;
    g.id_lower = ToLower(s.id);
    g.name = s.display_name;
    g.type_lower = "microsoft.resources/subscriptions";
    g.tenant_id = tenant_id_;
    g.subscription_id = s.subscription_id;
    g.subscription = s.lower;
    arg_containers_.push_back(std::move(g));
  }
  for (const auto& rg : resource_groups_) {
    GraphRow g;
    g.body = &rg.body;
    g.id = rg.id;
    g.id_lower = rg.id_lower;
    g.name = rg.name;
    g.type_lower = "microsoft.resources/subscriptions/resourcegroups";
    g.tenant_id = tenant_id_;
    g.location = rg.location;
    g.resource_group = ToLower(rg.name);
    g.subscription_id = ParseId(rg.id).subscription_id;
    g.subscription = rg.subscription;
    g.managed_by = StringOr(rg.body, "managedBy");
    arg_containers_.push_back(std::move(g));
  }
  auto by_id = [](const GraphRow& a, const GraphRow& b) { return a.id_lower < b.id_lower; };
  std::sort(arg_resources_.begin(), arg_resources_.end(), by_id);
  std::sort(arg_containers_.begin(), arg_containers_.end(), by_id);
  std::sort(arg_authorization_.begin(), arg_authorization_.end(), by_id);
}

void TenantIndex::IndexDirectory(const Tenant& tenant) {
  auto add = [&](const json::array& list, DirectoryKind kind,
                 std::vector<const DirectoryObject*>& out) {
    for (const auto& v : list) {
      if (!v.is_object()) continue;
      DirectoryObject d;
      d.kind = kind;
      d.body = v.get_object();
      d.id = StringOr(d.body, "id");
      if (d.id.empty()) continue;
      if (kind == DirectoryKind::kGroup) {
        if (const auto* m = FindArray(&d.body, "members")) {
          for (const auto& e : *m) {
            if (e.is_string()) d.members.emplace_back(e.get_string());
          }
        }
        d.body.erase("members");
      }
      d.json = json::serialize(d.body);
      directory_.push_back(std::move(d));
      const DirectoryObject* p = &directory_.back();
      out.push_back(p);
      directory_by_id_.emplace(ToLower(p->id), p);
    }
  };
  add(tenant.users, DirectoryKind::kUser, users_);
  add(tenant.groups, DirectoryKind::kGroup, groups_);
  add(tenant.service_principals, DirectoryKind::kServicePrincipal, sps_);
}

const IndexedSubscription* TenantIndex::FindSubscription(std::string_view subscription_id) const {
  auto it = subscription_by_id_.find(ToLower(subscription_id));
  return it == subscription_by_id_.end() ? nullptr : &subscriptions_[it->second];
}

const std::vector<const IndexedResourceGroup*>& TenantIndex::ResourceGroupsOf(
    std::string_view sub) const {
  auto it = rgs_by_sub_.find(ToLower(sub));
  return it == rgs_by_sub_.end() ? kNoGroups : it->second;
}

const IndexedResourceGroup* TenantIndex::FindResourceGroup(std::string_view sub,
                                                           std::string_view rg) const {
  auto it = rg_by_key_.find(ToLower(sub) + "/" + ToLower(rg));
  return it == rg_by_key_.end() ? nullptr : it->second;
}

const IndexedResource* TenantIndex::FindResource(std::string_view id) const {
  std::string key = ToLower(id);
  while (key.size() > 1 && key.back() == '/') key.pop_back();
  auto it = by_id_.find(key);
  return it == by_id_.end() ? nullptr : it->second;
}

const std::vector<const IndexedResource*>& TenantIndex::TopLevelInSubscription(
    std::string_view sub) const {
  auto it = top_by_sub_.find(ToLower(sub));
  return it == top_by_sub_.end() ? kNoResources : it->second;
}

const std::vector<const IndexedResource*>& TenantIndex::TopLevelInResourceGroup(
    std::string_view sub, std::string_view rg) const {
  auto it = top_by_rg_.find(ToLower(sub) + "/" + ToLower(rg));
  return it == top_by_rg_.end() ? kNoResources : it->second;
}

const std::vector<const IndexedResource*>& TenantIndex::TopLevelOfType(
    std::string_view sub, std::string_view type_lower) const {
  auto it = top_by_type_.find(ToLower(sub) + "|" + ToLower(type_lower));
  return it == top_by_type_.end() ? kNoResources : it->second;
}

const std::vector<const IndexedResource*>& TenantIndex::Children(
    std::string_view parent_id, std::string_view type_lower) const {
  std::string key = ToLower(parent_id);
  key += '|';
  key += ToLower(type_lower);
  auto it = children_.find(key);
  return it == children_.end() ? kNoResources : it->second;
}

const std::vector<const IndexedResource*>& TenantIndex::ExtensionsAt(
    std::string_view scope_id) const {
  auto it = extensions_.find(ToLower(scope_id));
  return it == extensions_.end() ? kNoResources : it->second;
}

const DirectoryObject* TenantIndex::FindDirectoryObject(std::string_view id) const {
  auto it = directory_by_id_.find(ToLower(id));
  return it == directory_by_id_.end() ? nullptr : it->second;
}

}  // namespace atg::sim
