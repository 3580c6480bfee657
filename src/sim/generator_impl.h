// Internal to the generator (generator*.cc): the state of one generation run.
// Not a public interface; see sim/generator.h for the contract.
#ifndef ATG_SIM_GENERATOR_IMPL_H_
#define ATG_SIM_GENERATOR_IMPL_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/json.h"
#include "sim/generator.h"
#include "sim/generator_rng.h"
#include "sim/tenant.h"

namespace atg::sim::gen {

struct Principal {
  std::string id;
  const char* type;  // "User", "Group" or "ServicePrincipal" (as role assignments spell it)
};

struct Identity {
  std::string id;  // ARM id of a user-assigned identity; empty for system-assigned
  std::string principal_id;
  std::string client_id;
};

struct Sub {
  std::string id;
  std::string path;  // "/subscriptions/{id}"
  std::string region;
  std::vector<std::string> role_definitions;  // ids, in kRoles order; may be shorter
  std::string workspace_id;
  int watcher_rg = -1;  // index into rgs_ of "NetworkWatcherRG"
  std::unordered_set<std::string> watcher_regions;
  std::unordered_set<std::string> rg_names;  // lower case
};

struct Rg {
  int sub = 0;
  std::string id, name, app, env, location;
  std::string vnet_id;
  std::string subnet_app, subnet_data, subnet_pe, subnet_fw, subnet_appgw;  // ids or empty
  std::string nsg_id;
  int octet = 0;  // the VNet is 10.{octet}.0.0/16
  int next_host = 4;
  std::unordered_map<std::string, std::string> dns_zones;  // zone name -> id
  // Where each subnet's entry is in `resources` and where its copy is in the VNet's
  // properties.subnets, for the back-references ARM keeps on a subnet.
  size_t vnet_entry = 0;
  std::unordered_map<std::string, std::pair<size_t, size_t>> subnet_entries;
  std::string key_vault_id, storage_id, site_host;
  int counter = 0;
  int units_left = 0;
};

// Role definitions every subscription gets, in this order (index = kRole* below).
enum RoleIndex {
  kOwner,
  kContributor,
  kReader,
  kUserAccessAdministrator,
  kKeyVaultSecretsUser,
  kStorageBlobDataReader,
  kAcrPull,
  kNetworkContributor,
  kStorageBlobDataContributor,
  kKeyVaultAdministrator,
  kRoleCount
};

class Builder {
 public:
  explicit Builder(const GeneratorOptions& o);
  Result<Tenant> Run();

  // --- generator.cc: directory, subscriptions, orchestration, shared pieces ---
  void Directory();
  void Subscriptions();
  void NewRg();
  void Single();
  int& Budget() { return budget_; }

  std::string Hex(int digits);
  std::string Seq(Rg& rg);  // "01", "02", ... unique within the resource group
  std::string Unique();     // a short hex suffix unique in the tenant (globally unique names)
  std::string Ip(Rg& rg, int subnet);
  std::string PublicIp();
  std::string RegionDisplay(std::string_view region);

  json::object Base(const Rg& rg, std::string_view type, const std::string& name,
                    bool with_location = true);
  std::string Id(const Rg& rg, std::string_view type, const std::string& name) const;
  json::object SystemData();
  void Emit(json::object&& body);

  void Diag(const std::string& target, int sub, int percent);
  bool RoleAssignment(const std::string& scope, int sub, int role, const Principal& p);
  Identity SystemIdentity(const std::string& resource_id, const std::string& display_name);
  Identity Uami(Rg& rg, const std::string& name);
  json::object IdentityJson(const Identity* system, const Identity* user);
  const Principal* AnyPrincipal();
  const Principal* GroupOrUser();
  void EnsureWatcher(Rg& rg);
  // Adds {"id": ref} to the subnet's `property` list (e.g. "ipConfigurations",
  // "privateEndpoints") in its entry and in the VNet's inlined copy, as ARM reports them.
  void LinkSubnet(Rg& rg, const std::string& subnet_id, const char* property,
                  const std::string& ref);

  // --- generator_{network,compute,services}.cc: workload units. Each emits at most its kMax*
  // entries. ---
  void NetworkUnit(Rg& rg);
  void VmUnit(Rg& rg);
  void WebUnit(Rg& rg);
  void SqlUnit(Rg& rg);
  void AksUnit(Rg& rg);
  void StorageUnit(Rg& rg, bool allow_pe);
  void KeyVaultUnit(Rg& rg, bool allow_pe);
  void CosmosUnit(Rg& rg);
  void MessagingUnit(Rg& rg, bool service_bus);
  void RedisUnit(Rg& rg);
  void LoadBalancerUnit(Rg& rg);
  void AppGatewayUnit(Rg& rg);
  void FirewallUnit(Rg& rg);
  void ContainerGroupUnit(Rg& rg);
  void RecoveryVaultUnit(Rg& rg);
  void FrontDoorUnit(Rg& rg);
  json::object PublicIpBody(Rg& rg, const std::string& name, const std::string& ip_config_id);
  void PublicIpSingle(Rg& rg);
  void AvailabilitySetSingle(Rg& rg);
  void RouteTableSingle(Rg& rg);
  void AcrSingle(Rg& rg);
  // Private endpoint (+ its NIC, + the zone and VNet link the first time in `rg`) to `target`.
  // Returns the endpoint's id, or empty when the group has no endpoint subnet.
  std::string PrivateEndpoint(Rg& rg, const std::string& target, const std::string& target_name,
                              const char* group_id, const char* zone);
  std::string PlannedPrivateEndpointId(Rg& rg, const std::string& target_name);
  json::array PrivateEndpointConnections(const std::string& target, const std::string& pe_id);
  json::object Workspace(Rg& rg, const std::string& name);

  GeneratorOptions opt_;
  Rng rng_;
  Tenant t_;
  int budget_ = 0;
  std::string domain_;
  std::vector<Sub> subs_;
  std::deque<Rg> rgs_;  // a deque: units hold references while more groups are added
  int current_rg_ = -1;
  std::vector<Principal> users_, groups_, apps_, identities_;
  std::vector<std::pair<std::string, int>> diag_candidates_;  // common resources with none
  uint64_t unique_ = 0;
  uint64_t public_ip_ = 0;
  int octet_ = 0;
};

// Application names that resource groups, resources and groups are named after.
inline constexpr const char* kApps[] = {
    "payments", "orders",    "billing",   "portal",    "crm",     "hr",        "search",
    "catalog",  "inventory", "analytics", "identity",  "gateway", "reporting", "mobile",
    "checkout", "shipping",  "loyalty",   "pricing",   "ledger",  "audit",     "notify",
    "media",    "chat",      "iot",       "telemetry", "etl",     "ml",        "docs",
    "wiki",     "booking",   "claims",    "fleet",     "quotes",  "risk",      "fraud",
    "tax",      "kyc",       "pos",       "warehouse", "support"};

template <typename T, size_t N>
inline const T& Pick(Rng& rng, const T (&arr)[N]) {
  return arr[rng.Below(N)];
}

// An independent seed for one part of the generation, so that parts do not shift each other.
inline uint64_t Mix(uint64_t seed, uint64_t salt) {
  Rng r(seed ^ (salt * 0x9e3779b97f4a7c15ULL));
  return r.Next();
}

// {"id": id}, ARM's sub-resource reference.
inline json::object Ref(const std::string& id) { return json::object{{"id", id}}; }
// A weak ETag as the network provider writes them.
inline std::string Etag(Rng& rng) { return "W/\"" + rng.Guid() + "\""; }

// Largest number of entries each unit may emit (the orchestration only starts a unit when the
// remaining count allows it, which keeps the total exact).
constexpr int kMaxNetwork = 15;
constexpr int kMaxVm = 11;
constexpr int kMaxWeb = 11;
constexpr int kMaxSql = 14;
constexpr int kMaxAks = 8;
constexpr int kMaxStorage = 6;
constexpr int kMaxKeyVault = 8;
constexpr int kMaxCosmos = 6;
constexpr int kMaxMessaging = 2;
constexpr int kMaxRedis = 2;
constexpr int kMaxLoadBalancer = 5;
constexpr int kMaxAppGateway = 4;
constexpr int kMaxFirewall = 4;
constexpr int kMaxContainerGroup = 1;
constexpr int kMaxRecoveryVault = 2;
constexpr int kMaxFrontDoor = 2;

}  // namespace atg::sim::gen

#endif  // ATG_SIM_GENERATOR_IMPL_H_
