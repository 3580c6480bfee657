#include "sim/tenant_index.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "common/arm_id.h"
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

std::string_view ViewOr(const json::object& o, std::string_view key) {
  auto v = FindString(&o, key);
  return v ? *v : std::string_view();
}

bool IsExtensionType(std::string_view type_lower) {
  return type_lower == "microsoft.authorization/roleassignments" ||
         type_lower == "microsoft.authorization/roledefinitions" ||
         type_lower == "microsoft.authorization/locks" ||
         type_lower == "microsoft.authorization/policyassignments" ||
         type_lower == "microsoft.insights/diagnosticsettings";
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
    s.id_lower = ToLower(s.id);
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
    auto shape = ParseArmIdView(g.id);
    if (!shape.ok() || shape->subscription_id.empty()) continue;
    g.name = StringOr(src, "name", std::string(shape->resource_group));
    g.id_lower = ToLower(g.id);
    g.subscription_id = std::string(shape->subscription_id);
    g.subscription = ToLower(shape->subscription_id);
    g.name_lower = ToLower(g.name);
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
  BuildGraphTables();
  IndexDirectory(tenant);
}

std::string_view TenantIndex::Intern(std::string_view str) {
  auto it = interned_.find(std::string(str));
  if (it == interned_.end()) it = interned_.emplace(str).first;
  return *it;
}

std::string_view TenantIndex::InternLower(std::string_view str) {
  scratch_.assign(str);
  for (auto& c : scratch_) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = interned_.find(scratch_);
  if (it == interned_.end()) it = interned_.insert(scratch_).first;
  return *it;
}

TenantIndex::List& TenantIndex::Bucket(std::unordered_map<std::string_view, List>& map,
                                       std::string_view key) {
  auto it = map.find(key);
  if (it != map.end()) return it->second;
  return map[Intern(key)];
}

void TenantIndex::IndexResources(const Tenant& tenant) {
  for (const auto& v : tenant.resources) {
    if (!v.is_object()) continue;
    const auto& body = v.get_object();
    std::string_view id = ViewOr(body, "id");
    if (id.empty()) continue;
    IndexedResource& r = resources_.emplace_back();
    r.body = &body;
    r.id = id;
    r.id_lower = ToLower(id);
    r.name = ViewOr(body, "name");
    r.type = ViewOr(body, "type");
    r.type_lower = InternLower(r.type);
    // Ids were checked when the tenant was loaded; one that does not parse stays top-level.
    auto parsed = ParseArmIdView(id);
    ArmIdView shape = parsed.ok() ? *parsed : ArmIdView{};
    r.subscription_id = shape.subscription_id;
    r.subscription = InternLower(shape.subscription_id);
    r.resource_group = shape.resource_group;
    r.resource_group_lower = InternLower(shape.resource_group);
    r.info = FindResourceType(r.type);
    if (r.info != nullptr && r.info->extension) {
      r.kind = ResourceKind::kExtension;
    } else if (r.info != nullptr && r.info->child) {
      r.kind = ResourceKind::kChild;
    } else if (r.info != nullptr) {
      r.kind = ResourceKind::kTopLevel;
    } else if (shape.is_child()) {
      r.kind = ResourceKind::kChild;
    } else if (shape.is_extension() || IsExtensionType(r.type_lower)) {
      r.kind = ResourceKind::kExtension;
    }
    // A child sits below its parent, an extension below its scope: both are the parsed parent,
    // a prefix of the id.
    if ((r.kind == ResourceKind::kChild && !shape.is_child()) ||
        (r.kind != ResourceKind::kTopLevel && shape.depth == 0)) {
      r.kind = ResourceKind::kTopLevel;
    }
    if (r.kind != ResourceKind::kTopLevel) {
      r.parent_lower = std::string_view(r.id_lower).substr(0, shape.parent_id.size());
    }
  }

  by_id_.reserve(resources_.size() * 2);
  std::string key;
  for (const auto& r : resources_) {
    by_id_.emplace(r.id_lower, &r);  // the first wins when a tenant repeats an id
    switch (r.kind) {
      case ResourceKind::kTopLevel:
        if (r.subscription.empty()) break;
        Bucket(top_by_sub_, r.subscription).push_back(&r);
        if (!r.resource_group.empty()) {
          key.assign(r.subscription).append("/").append(r.resource_group_lower);
          Bucket(top_by_rg_, key).push_back(&r);
        }
        key.assign(r.subscription).append("|").append(r.type_lower);
        Bucket(top_by_type_, key).push_back(&r);
        break;
      case ResourceKind::kChild:
        key.assign(r.parent_lower).append("|").append(r.type_lower);
        Bucket(children_, key).push_back(&r);
        break;
      case ResourceKind::kExtension:
        Bucket(extensions_, r.parent_lower).push_back(&r);
        break;
    }
    if (r.type_lower == "microsoft.authorization/roleassignments") role_assignments_.push_back(&r);
    if (r.type_lower == "microsoft.authorization/roledefinitions") role_definitions_.push_back(&r);
  }
}

void TenantIndex::InlineChildren() {
  for (auto& r : resources_) {
    if (r.kind != ResourceKind::kChild || r.info == nullptr ||
        r.info->inlined_in_parent_property.empty()) {
      continue;
    }
    auto it = by_id_.find(r.parent_lower);
    if (it == by_id_.end()) continue;
    auto* parent = const_cast<IndexedResource*>(it->second);
    const std::string& prop = r.info->inlined_in_parent_property;
    const json::value* props = Find(parent->body, "properties");
    // Keep what the tenant wrote when it already inlines (never replace or truncate a body),
    // and leave a body whose properties are not an object alone.
    if (props != nullptr && (!props->is_object() || props->get_object().contains(prop))) continue;
    parent->inlined.emplace_back(prop, &r);
  }
}

void TenantIndex::BuildGraphTables() {
  auto row_of = [&](const IndexedResource& r) {
    GraphRow g;
    g.body = r.body;
    g.resource = &r;
    g.id = r.id;
    g.id_lower = r.id_lower;
    g.name = r.name;
    g.type_lower = r.type_lower;
    g.tenant_id = tenant_id_;
    g.kind = ViewOr(*r.body, "kind");
    g.location = ViewOr(*r.body, "location");
    g.resource_group = r.resource_group_lower;
    g.subscription_id = r.subscription_id;
    g.subscription = r.subscription;
    g.managed_by = ViewOr(*r.body, "managedBy");
    return g;
  };
  arg_resources_.reserve(resources_.size());
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
    g.id_lower = s.id_lower;
    g.name = s.display_name;
    g.type_lower = "microsoft.resources/subscriptions";
    g.tenant_id = tenant_id_;
    g.subscription_id = s.subscription_id;
    g.subscription = s.lower;
    arg_containers_.push_back(g);
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
    g.resource_group = rg.name_lower;
    g.subscription_id = rg.subscription_id;
    g.subscription = rg.subscription;
    g.managed_by = ViewOr(rg.body, "managedBy");
    arg_containers_.push_back(g);
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

IndexedResource::~IndexedResource() { delete json_.load(std::memory_order_acquire); }

namespace {

// `properties` with the inlined children appended, grouped by property in tenant order.
void AppendInlined(std::string& out, const IndexedResource& r) {
  const json::value* props = Find(r.body, "properties");
  out += '{';
  bool first = true;
  if (props != nullptr && props->is_object()) {
    for (const auto& kv : props->get_object()) {
      if (!first) out += ',';
      first = false;
      AppendJsonString(out, kv.key());
      out += ':';
      AppendJson(out, kv.value());
    }
  }
  std::vector<std::string_view> done;
  for (const auto& [prop, unused] : r.inlined) {
    if (std::find(done.begin(), done.end(), prop) != done.end()) continue;
    done.push_back(prop);
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, prop);
    out += ":[";
    bool first_child = true;
    for (const auto& [p, child] : r.inlined) {
      if (p != prop) continue;
      if (!first_child) out += ',';
      first_child = false;
      out += child->json();
    }
    out += ']';
  }
  out += '}';
}

}  // namespace

const IndexedResource::Serialized& IndexedResource::serialized() const {
  Serialized* cached = json_.load(std::memory_order_acquire);
  if (cached != nullptr) return *cached;
  auto* fresh = new Serialized;
  std::string& out = fresh->text;
  out.reserve(1024);
  out += '{';
  bool first = true;
  auto write_properties = [&](const json::value* value) {
    fresh->properties_begin = out.size();
    if (inlined.empty()) {
      AppendJson(out, *value);
    } else {
      AppendInlined(out, *this);
    }
    fresh->properties_size = out.size() - fresh->properties_begin;
  };
  bool wrote_properties = false;
  for (const auto& kv : *body) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, kv.key());
    out += ':';
    if (kv.key() == "properties") {
      write_properties(&kv.value());
      wrote_properties = true;
    } else {
      AppendJson(out, kv.value());
    }
  }
  if (!wrote_properties && !inlined.empty()) {
    if (!first) out += ',';
    out += "\"properties\":";
    write_properties(nullptr);
  }
  out += '}';
  Serialized* expected = nullptr;
  if (json_.compare_exchange_strong(expected, fresh, std::memory_order_acq_rel)) return *fresh;
  delete fresh;  // another thread won the race; serve its copy
  return *expected;
}

const std::string& IndexedResource::json() const { return serialized().text; }

void AppendProperties(std::string& out, const IndexedResource& r) {
  const auto& s = r.serialized();
  if (s.properties_begin == std::string::npos) {
    out += "null";
  } else {
    out.append(s.text, s.properties_begin, s.properties_size);
  }
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
  std::string key = ToLower(sub);
  auto it = top_by_sub_.find(key);
  return it == top_by_sub_.end() ? kNoResources : it->second;
}

const std::vector<const IndexedResource*>& TenantIndex::TopLevelInResourceGroup(
    std::string_view sub, std::string_view rg) const {
  std::string key = ToLower(sub) + "/" + ToLower(rg);
  auto it = top_by_rg_.find(key);
  return it == top_by_rg_.end() ? kNoResources : it->second;
}

const std::vector<const IndexedResource*>& TenantIndex::TopLevelOfType(
    std::string_view sub, std::string_view type_lower) const {
  std::string key = ToLower(sub) + "|" + ToLower(type_lower);
  auto it = top_by_type_.find(key);
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
  std::string key = ToLower(scope_id);
  auto it = extensions_.find(key);
  return it == extensions_.end() ? kNoResources : it->second;
}

const DirectoryObject* TenantIndex::FindDirectoryObject(std::string_view id) const {
  auto it = directory_by_id_.find(ToLower(id));
  return it == directory_by_id_.end() ? nullptr : it->second;
}

}  // namespace atg::sim
