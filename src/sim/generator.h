// Generates a realistic simulated tenant, deterministically from a seed.
//
// What a generated tenant looks like (the contract tests and the simulator rely on):
//
// * `resources` has exactly `options.resources` entries, child and extension resources
//   included (subnets, NSG rules, VM extensions, SQL databases and firewall rules, web app
//   slots, private DNS zone links, role definitions, role assignments, diagnostic settings).
// * Resources are made in *workload units*, each inside one resource group, wired together the
//   way real tenants are:
//     network   VNet + subnets + NSG + security rules (+ route table), per resource group, and
//               one Network Watcher per subscription and region (in "NetworkWatcherRG")
//     vm        NIC -> subnet (+ public IP), OS (+ data) disks, VM -> NIC/disks/identity,
//               VM extensions, maybe an availability set and a role assignment for the identity
//     web       App Service plan + web app(s) (+ slots) + Application Insights -> workspace
//     sql       SQL server (Entra admin = a group) + databases + firewall rules
//               + private endpoint -> server
//     aks       AKS cluster + control-plane identity + kubelet identity and node VMSS in the
//               cluster's node resource group, ACR and an AcrPull role assignment
//     storage / key vault / cosmos   the account + private endpoint -> account, with the
//               private DNS zone and its VNet link made once per resource group
//     lb, appgw, firewall, messaging (Service Bus, Event Hubs), redis, container instances,
//               recovery vault, front door (classic or Standard as a Cdn profile)
//   Units are drawn at random among those that fit in the remaining count; the last few
//   entries are single resources (storage accounts, public IPs, identities, role assignments,
//   diagnostic settings, ...) so that the count is exact.
// * Every subscription gets the built-in role definitions (Owner, Contributor, Reader, ...; up
//   to ten, fewer for tiny tenants) as entries with their real ids
//   /subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}, a shared
//   resource group holding a Log Analytics workspace, and role assignments at subscription,
//   resource group and resource scope whose principals are users, groups, service principals
//   or managed identities of the tenant.
// * Diagnostic settings are attached only to types whose catalog entry is
//   `diagnostic_settings_common`; their `properties.workspaceId` is the subscription's
//   workspace.
// * Child resources are entries of their own and are also inlined into the parent's body where
//   ARM does it (VNet `properties.subnets[]`, NSG `properties.securityRules[]`), with the same
//   id, name and properties.
// * Every string in a body that is an ARM id names an entry of the tenant (a subscription,
//   resource group or resource), or a sub-resource (e.g. a NIC's ip configuration) of one.
// * Directory: exactly `users` users and `groups` groups (members are users, service
//   principals and, for some, other groups; nesting never forms a cycle).
//   `service_principals` counts the *application* service principals (-1: max(5, users / 50));
//   every managed identity (user-assigned, or system-assigned on a resource) adds one more
//   service principal of type "ManagedIdentity" whose id is the identity's principalId and whose
//   alternativeNames hold the resource's ARM id.
// * The same options give the same tenant, byte for byte (our own PRNG, no std distributions);
//   all GUIDs derive from the seed.
//
// Thread-safety: GenerateTenant is reentrant.
#ifndef ATG_SIM_GENERATOR_H_
#define ATG_SIM_GENERATOR_H_

#include <cstdint>
#include <string>

#include "common/status.h"
#include "sim/tenant.h"

namespace atg::sim {

struct GeneratorOptions {
  uint64_t seed = 1;
  int subscriptions = 1;        // 1..1000
  int resources = 200;          // 0..5,000,000 entries of `resources`
  int users = 50;               // 0..5,000,000
  int groups = 10;              // 0..1,000,000
  int service_principals = -1;  // application service principals; -1 = derived from `users`
  std::string tenant_id;        // a GUID; empty = derived from the seed
};

// Fails with InvalidArgument (naming the option and the accepted range) for nonsense options.
Result<Tenant> GenerateTenant(const GeneratorOptions& options);

}  // namespace atg::sim

#endif  // ATG_SIM_GENERATOR_H_
