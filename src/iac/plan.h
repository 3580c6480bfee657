// The IaC plan: what `atg generate-iac` will emit, decided once from the graph and then written
// by each format's emitter (Terraform, Bicep, ARM). Everything that does not depend on the output
// language lives here, so the three formats agree on which resources exist, what they are called,
// which inputs the user must provide and in which order they deploy:
//  * selection: the --subscription / --resource-group / --type filters, with the closure of what
//    the kept resources reference pulled in (as the scan does);
//  * bodies: the deployable top-level fields (sku, kind, identity, plan, tags, zones, properties,
//    ...) with read-only properties removed by data rules (iac/readonly_rules.h), children that
//    are emitted on their own removed from their parent's inlined arrays;
//  * secrets: values Azure does not return or that must never be literals become inputs;
//  * references: every ARM id inside a body that names an emitted resource, so emitters write a
//    real reference (and the dependency) instead of a literal id;
//  * order: resources sorted so that dependencies come first, cycles broken and reported;
//  * names: unique, stable, readable identifiers (same graph -> same symbols);
//  * cross-tenant rewriting: --target-subscription, --target-tenant-id, --identity-map.
// Each stage is a unit of its own: iac/plan_graph.h (reading the graph), plan_exclusions.h,
// plan_selection.h, plan_bodies.h, plan_address.h, plan_references.h, plan_rewrite.h,
// plan_order.h, plan_principals.h, symbols.h and plan_inputs.h; BuildPlan runs them in order.
//
// Thread-safety: values. BuildPlan reads the store through its thread-safe read methods.
#ifndef ATG_IAC_PLAN_H_
#define ATG_IAC_PLAN_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "graph/graph_store.h"

namespace atg::iac {

struct PlanOptions {
  // Filters (empty = everything). Subscription ids and types compared case-insensitively,
  // resource groups by name case-insensitively.
  std::vector<std::string> subscriptions;
  std::vector<std::string> resource_groups;
  std::vector<std::string> types;
  // Cross-tenant rewriting; empty keeps the source values.
  std::string target_subscription;
  std::string target_tenant_id;
  // Source Entra object id (lower-cased) -> target object id, for users, groups, service
  // principals and managed identities' principals (--identity-map).
  std::map<std::string, std::string> identity_map;
};

// A value the user must provide when deploying: a secret Azure never returns (an admin
// password), a key or connection string that must not be a literal, or a principal id that the
// identity map does not cover.
struct Input {
  std::string name;         // variable / parameter name: unique, [a-z][a-z0-9_]*
  std::string description;  // what it is and where it goes, for variables.tf / the report
  bool secret = true;       // Terraform `sensitive = true`, Bicep/ARM `@secure()` / securestring
  size_t resource = 0;      // index into Plan::resources of the resource that uses it
  std::string path;  // where in that resource's body, e.g. "properties.osProfile.adminPassword"
};

// An ARM id inside a body that names another emitted resource.
struct Reference {
  std::string path;   // JSON path of the string in the body (graph::ArmIdRef::path syntax)
  size_t target = 0;  // index into Plan::resources
  // The part of the id below the target resource, with its original casing, e.g.
  // "/backendAddressPools/pool1" for a load balancer's pool; "" when the id is the target's.
  std::string suffix;
};

struct PlannedResource {
  std::string key;          // the graph node key (lower-cased source ARM id)
  std::string source_id;    // the source ARM id as Azure wrote it
  std::string id;           // the ARM id in the target (subscription rewritten), original casing
  std::string type;         // ARM type as Azure writes it, e.g. "Microsoft.Network/virtualNetworks"
  std::string api_version;  // newest non-preview version the tenant's providers reported
  std::string name;         // last name segment, e.g. "default" for a subnet
  std::string arm_name;     // the ARM template name: every name segment joined by '/'
  // The name segments, as ARM templates address the resource: {"vnet1", "default"} for a
  // subnet, {name} for a resource group (iac/plan_address.h derives them, so no emitter parses
  // ids).
  std::vector<std::string> names;
  // The target id this resource sits directly below: its parent, the resource it extends, its
  // resource group or its subscription; "" for a tenant-level resource.
  std::string parent_id;
  // For an extension of a resource the plan does not emit (neither a subscription nor a resource
  // group): that resource's target id, which ARM writes as a literal scope and Bicep cannot
  // express; "" otherwise.
  std::string literal_scope;
  std::string subscription_id;  // target subscription
  std::string resource_group;   // as written; "" for subscription-level resources
  std::string location;         // "" when the type has none
  // Stable, unique, readable identifier usable in Terraform, Bicep and ARM symbolic names:
  // [a-z][a-z0-9_]*, derived from the type's short name and the Azure name.
  std::string symbol;
  std::optional<size_t> parent;    // the parent resource, for child resources ("vnet/subnet")
  std::optional<size_t> scope;     // the extended resource, for extension resources
  bool is_resource_group = false;  // a "Microsoft.Resources/resourceGroups" entry
  // Deployable top-level fields: any of sku, kind, identity, plan, tags, zones, managedBy,
  // extendedLocation, properties. Never holds a secret (those became inputs) and never the
  // read-only fields. Ids inside it are already rewritten to the target.
  json::object body;
  std::vector<Reference> references;  // sorted by path
  // Indexes of the resources this one must be deployed after: parent, scope, references and
  // the resource group; cycle-free, sorted, unique.
  std::vector<size_t> depends_on;
};

// An Entra object: emitted as azuread_* by Terraform, listed in the report by Bicep and ARM.
struct PlannedPrincipal {
  std::string key;               // graph key, e.g. "/users/<id>"
  std::string kind;              // "user" | "group" | "service_principal"
  std::string object_id;         // source object id
  std::string target_object_id;  // from the identity map; "" when unmapped
  std::string display_name;
  std::string symbol;  // unique among principals and resources
  json::object body;   // the fields the graph holds (userPrincipalName, mailNickname, appId...)
  std::vector<size_t> members;  // for groups: indexes into Plan::principals
};

struct Skipped {
  std::string key;  // graph node key
  std::string type;
  std::string reason;  // e.g. "built-in role definition: exists in every tenant"
};

struct Plan {
  std::string source_tenant_id;
  std::string target_tenant_id;  // == source when not rewritten
  // Dependencies first; ties broken by key, so the order is stable.
  std::vector<PlannedResource> resources;
  std::vector<PlannedPrincipal> principals;
  std::vector<Input> inputs;  // sorted by name
  std::vector<Skipped> skipped;
  // Dependencies dropped to break cycles: (from key, to key), with the reference kept as a
  // literal id in the body.
  std::vector<std::pair<std::string, std::string>> broken_cycles;
  // Source principal ids referenced (role assignments, identities) but not in --identity-map
  // while a target tenant is set; they become inputs, never guesses.
  std::vector<std::string> unmapped_principals;
  // Format-independent lines for the report (how bodies were fitted to the Azure schemas).
  std::vector<std::string> notes;
};

// The subscription the outputs deploy to by default (the Terraform `azurerm` provider without an
// alias, the Bicep/ARM subscription-scope deployment): the target subscription holding the most
// resources, ties to the lowest id (compared lower-cased); "" for a plan without any.
std::string HomeSubscription(const Plan& plan);

// Builds the plan for `store`'s graph. Fails with kFailedPrecondition when the store holds no
// scan ("run `atg scan` first"), kInvalidArgument for bad options (naming them).
Result<Plan> BuildPlan(graph::GraphStore& store, const PlanOptions& options);

}  // namespace atg::iac

#endif  // ATG_IAC_PLAN_H_
