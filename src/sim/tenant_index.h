// Read-only indexes over a simulated Tenant, built once so that every API handler answers from
// precomputed look-ups and bodies serialized once: by lower-cased id, by subscription, by resource
// group, by type, children by parent, extension resources by scope, directory objects by id.
//
// Ids are matched case-insensitively (ARM is) but every body keeps the tenant's original casing.
// Parents get their children inlined where ARM does it (a virtual network's
// properties.subnets) unless the tenant's body already carries that property.
//
// Thread-safety: immutable after construction (apart from each resource's serialized-body cache,
// which fills itself atomically on first use); concurrent reads from any threads are safe.
// Ownership: built from an lvalue, the index points into the Tenant, which must outlive it; built
// from an rvalue, the index takes the Tenant over.
#ifndef ATG_SIM_TENANT_INDEX_H_
#define ATG_SIM_TENANT_INDEX_H_

#include <atomic>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/json.h"
#include "sim/catalog.h"
#include "sim/tenant.h"

namespace atg::sim {

enum class ResourceKind { kTopLevel, kChild, kExtension };

// One resource of the tenant. String views point into the tenant's body or into strings the
// index owns; they live as long as the index.
struct IndexedResource {
  IndexedResource() = default;
  IndexedResource(const IndexedResource&) = delete;
  IndexedResource& operator=(const IndexedResource&) = delete;
  ~IndexedResource();

  // The body GET serves, serialized on first use and cached (thread-safe). It is the tenant's
  // body exactly, plus inlined children where ARM inlines them.
  const std::string& json() const;

  const json::object* body = nullptr;  // the tenant's body, never modified
  std::string_view id;                 // original casing
  std::string id_lower;
  std::string_view name;
  std::string_view type;                  // original casing
  std::string_view type_lower;            // lower-case
  std::string_view subscription_id;       // as written in the id ("" for tenant-level ids)
  std::string_view subscription;          // lower-case subscription id
  std::string_view resource_group;        // original casing ("" when not in a resource group)
  std::string_view resource_group_lower;  // lower-case
  std::string parent_lower;  // children: the parent's id; extensions: the scope's id; else ""
  ResourceKind kind = ResourceKind::kTopLevel;
  const ResourceTypeInfo* info = nullptr;  // nullptr when the catalog does not know the type
  // Children ARM inlines into this body (a virtual network's subnets), with the property of
  // `properties` that holds them. Empty when the tenant's body already has that property.
  std::vector<std::pair<std::string_view, const IndexedResource*>> inlined;

  // json() plus where its "properties" value sits in it (npos when the body has none), so
  // Resource Graph rows reuse that text instead of serializing it again.
  struct Serialized {
    std::string text;
    size_t properties_begin = std::string::npos;
    size_t properties_size = 0;
  };
  const Serialized& serialized() const;

 private:
  mutable std::atomic<Serialized*> json_{nullptr};
};

// Appends the resource's `properties` as GET shows them (with inlined children), or null when
// the body has none.
void AppendProperties(std::string& out, const IndexedResource& r);

struct IndexedSubscription {
  json::object body;  // ARM's subscription body
  std::string json;
  std::string id;  // "/subscriptions/{subscriptionId}"
  std::string id_lower;
  std::string subscription_id;
  std::string lower;  // lower-case subscription id
  std::string display_name;
};

struct IndexedResourceGroup {
  json::object body;  // ARM's resource group body
  std::string json;
  std::string id;
  std::string id_lower;
  std::string name;
  std::string name_lower;
  std::string subscription_id;  // as written in the id
  std::string subscription;     // lower-case subscription id
  std::string location;
};

// One row of a Resource Graph table, with its string columns precomputed (views into the index
// or the tenant).
struct GraphRow {
  const json::object* body = nullptr;         // sku, plan, properties, tags, ... come from here
  const IndexedResource* resource = nullptr;  // nullptr for subscriptions and resource groups
  std::string_view id, id_lower, name, type_lower, tenant_id, kind, location, resource_group,
      subscription_id, subscription, managed_by;
};

enum class DirectoryKind { kUser, kGroup, kServicePrincipal };

struct DirectoryObject {
  DirectoryKind kind = DirectoryKind::kUser;
  json::object body;  // the Graph object (a group's "members" list removed)
  std::string json;
  std::string id;
  std::vector<std::string> members;  // groups only: member object ids as listed in the tenant
};

class TenantIndex {
 public:
  // Builds every index. Cost is linear in the tenant's size (100,000 resources in well under a
  // second on one core; most of it is serializing bodies once).
  explicit TenantIndex(const Tenant& tenant);
  explicit TenantIndex(Tenant&& tenant);
  TenantIndex(const TenantIndex&) = delete;
  TenantIndex& operator=(const TenantIndex&) = delete;

  const std::string& tenant_id() const { return tenant_id_; }

  // ARM.
  const std::vector<IndexedSubscription>& subscriptions() const { return subscriptions_; }
  const IndexedSubscription* FindSubscription(std::string_view subscription_id) const;
  // Resource groups of one subscription (lower-case id), in tenant order.
  const std::vector<const IndexedResourceGroup*>& ResourceGroupsOf(std::string_view sub) const;
  const IndexedResourceGroup* FindResourceGroup(std::string_view sub, std::string_view rg) const;
  // Any resource (top-level, child or extension) by id, case-insensitive.
  const IndexedResource* FindResource(std::string_view id) const;
  // Top-level resources of a subscription / a resource group, in tenant order.
  const std::vector<const IndexedResource*>& TopLevelInSubscription(std::string_view sub) const;
  const std::vector<const IndexedResource*>& TopLevelInResourceGroup(std::string_view sub,
                                                                     std::string_view rg) const;
  // Top-level resources of one type (lower-case) in a subscription.
  const std::vector<const IndexedResource*>& TopLevelOfType(std::string_view sub,
                                                            std::string_view type_lower) const;
  // Children of `parent_id` of the full child type (lower-case), e.g.
  // "microsoft.network/virtualnetworks/subnets".
  const std::vector<const IndexedResource*>& Children(std::string_view parent_id,
                                                      std::string_view type_lower) const;
  // Extension resources attached to a scope id (lower-cased on look-up).
  const std::vector<const IndexedResource*>& ExtensionsAt(std::string_view scope_id) const;
  // Role assignments / definitions anywhere, in tenant order.
  const std::vector<const IndexedResource*>& role_assignments() const { return role_assignments_; }
  const std::vector<const IndexedResource*>& role_definitions() const { return role_definitions_; }

  // Resource Graph tables, each sorted by lower-cased id.
  const std::vector<GraphRow>& resources_table() const { return arg_resources_; }
  const std::vector<GraphRow>& resource_containers_table() const { return arg_containers_; }
  const std::vector<GraphRow>& authorization_table() const { return arg_authorization_; }

  // Microsoft Graph.
  const std::vector<const DirectoryObject*>& users() const { return users_; }
  const std::vector<const DirectoryObject*>& groups() const { return groups_; }
  const std::vector<const DirectoryObject*>& service_principals() const { return sps_; }
  const DirectoryObject* FindDirectoryObject(std::string_view id) const;

  size_t resource_count() const { return resources_.size(); }

 private:
  using List = std::vector<const IndexedResource*>;
  void Build(const Tenant& tenant);
  void IndexResources(const Tenant& tenant);
  void InlineChildren();
  List& Bucket(std::unordered_map<std::string_view, List>& map, std::string_view key);
  void BuildGraphTables();
  void IndexDirectory(const Tenant& tenant);

  std::optional<Tenant> owned_tenant_;
  std::string tenant_id_;
  std::vector<IndexedSubscription> subscriptions_;
  std::unordered_map<std::string, size_t> subscription_by_id_;
  std::deque<IndexedResourceGroup> resource_groups_;
  std::unordered_map<std::string, const IndexedResourceGroup*> rg_by_key_;  // "sub/rg"
  std::unordered_map<std::string, std::vector<const IndexedResourceGroup*>> rgs_by_sub_;

  // A view of a copy of `s` (InternLower: of its lower-cased copy) owned by the index, one copy
  // per distinct string: types, subscriptions, resource groups and composite keys repeat a lot.
  // Used only while building.
  std::string_view Intern(std::string_view s);
  std::string_view InternLower(std::string_view s);
  std::string scratch_;
  std::unordered_set<std::string> interned_;

  std::deque<IndexedResource> resources_;
  std::unordered_map<std::string_view, const IndexedResource*> by_id_;
  std::deque<json::object> owned_bodies_;  // Resource Graph bodies of subscriptions
  std::unordered_map<std::string_view, List> top_by_sub_;
  std::unordered_map<std::string_view, List> top_by_rg_;    // "sub/rg"
  std::unordered_map<std::string_view, List> top_by_type_;  // "sub|type"
  std::unordered_map<std::string_view, List> children_;     // "parent|type"
  std::unordered_map<std::string_view, List> extensions_;   // scope
  List role_assignments_;
  List role_definitions_;

  std::vector<GraphRow> arg_resources_;
  std::vector<GraphRow> arg_containers_;
  std::vector<GraphRow> arg_authorization_;

  std::deque<DirectoryObject> directory_;
  std::vector<const DirectoryObject*> users_, groups_, sps_;
  std::unordered_map<std::string, const DirectoryObject*> directory_by_id_;
};

}  // namespace atg::sim

#endif  // ATG_SIM_TENANT_INDEX_H_
