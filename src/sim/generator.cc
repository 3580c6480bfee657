#include "sim/generator.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "common/arm_id.h"
#include "common/strings.h"
#include "sim/catalog.h"
#include "sim/generator_impl.h"

namespace atg::sim {
namespace gen {
namespace {

constexpr const char* kEnvs[] = {"prod", "prod", "dev", "test", "stg", "qa"};
// Regions with a rough popularity weight (repeats).
constexpr const char* kRegions[] = {
    "eastus",    "eastus",        "eastus",        "westeurope",   "westeurope",  "eastus2",
    "eastus2",   "westus2",       "westus2",       "northeurope",  "northeurope", "uksouth",
    "centralus", "southeastasia", "australiaeast", "canadacentral"};
constexpr const char* kSubPurposes[] = {"prod",     "nonprod", "connectivity", "management",
                                        "identity", "sandbox", "data",         "shared"};

struct RoleDef {
  const char* guid;
  const char* name;
  const char* description;
  const char* action;  // one representative action
};
constexpr RoleDef kRoles[kRoleCount] = {
    {"8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner",
     "Grants full access to manage all resources, including the ability to assign roles in "
     "Azure RBAC.",
     "*"},
    {"b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor",
     "Grants full access to manage all resources, but does not allow you to assign roles in Azure "
     "RBAC.",
     "*"},
    {"acdd72a7-3385-48ef-bd42-f6fba9bd9f6d", "Reader",
     "View all resources, but does not allow "
     "you to make any changes.",
     "*/read"},
    {"18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator",
     "Lets you manage user access to Azure resources.", "Microsoft.Authorization/*"},
    {"4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User", "Read secret contents.",
     "Microsoft.KeyVault/vaults/secrets/getSecret/action"},
    {"2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "Storage Blob Data Reader",
     "Read and list Azure Storage containers and blobs.",
     "Microsoft.Storage/storageAccounts/blobServices/containers/read"},
    {"7f951dda-4ed3-4680-a7ca-43fe172d538d", "AcrPull", "acr pull",
     "Microsoft.ContainerRegistry/registries/pull/read"},
    {"4d97b98b-1d4f-4787-a291-c67834d212e7", "Network Contributor",
     "Lets you manage networks, but not access to them.", "Microsoft.Network/*"},
    {"ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Storage Blob Data Contributor",
     "Allows for read, write and delete access to Azure Storage blob containers and data",
     "Microsoft.Storage/storageAccounts/blobServices/containers/*"},
    {"00482a5a-887f-4fb3-b363-3b7fe8e74483", "Key Vault Administrator",
     "Perform all data plane operations on a key vault and all objects in it.",
     "Microsoft.KeyVault/*"},
};

}  // namespace

Builder::Builder(const GeneratorOptions& o) : opt_(o), rng_(Mix(o.seed, 2)) {}

std::string Builder::Hex(int digits) {
  static const char kHex[] = "0123456789abcdef";
  std::string s(static_cast<size_t>(digits), '0');
  for (char& c : s) c = kHex[rng_.Below(16)];
  return s;
}

std::string Builder::Seq(Rg& rg) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%02d", ++rg.counter);
  return buf;
}

std::string Builder::Unique() {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%05llx", static_cast<unsigned long long>(++unique_));
  return buf;
}

std::string Builder::Ip(Rg& rg, int subnet) {
  int host = rg.next_host++;
  return "10." + std::to_string(rg.octet) + "." + std::to_string(subnet + host / 250) + "." +
         std::to_string(4 + host % 250);
}

std::string Builder::PublicIp() {
  uint64_t n = ++public_ip_;
  return "20." + std::to_string(40 + (n >> 16) % 200) + "." + std::to_string((n >> 8) & 255) + "." +
         std::to_string(n & 255);
}

std::string Builder::RegionDisplay(std::string_view region) {
  static const std::unordered_map<std::string_view, const char*> kNames = {
      {"eastus", "East US"},
      {"eastus2", "East US 2"},
      {"westus2", "West US 2"},
      {"westeurope", "West Europe"},
      {"northeurope", "North Europe"},
      {"uksouth", "UK South"},
      {"centralus", "Central US"},
      {"southeastasia", "Southeast Asia"},
      {"australiaeast", "Australia East"},
      {"canadacentral", "Canada Central"}};
  auto it = kNames.find(region);
  return it == kNames.end() ? std::string(region) : it->second;
}

std::string Builder::Id(const Rg& rg, std::string_view type, const std::string& name) const {
  std::string id = rg.id;
  id += "/providers/";
  id += type;
  id += '/';
  id += name;
  return id;
}

json::object Builder::SystemData() {
  json::object sd;
  std::string created = rng_.Timestamp();
  if (!users_.empty()) {
    const auto& u = t_.users[rng_.Below(t_.users.size())].as_object();
    sd["createdBy"] = u.at("userPrincipalName");
    sd["createdByType"] = "User";
  } else {
    sd["createdBy"] = rng_.Guid();
    sd["createdByType"] = "Application";
  }
  sd["createdAt"] = created;
  sd["lastModifiedBy"] = sd["createdBy"];
  sd["lastModifiedByType"] = sd["createdByType"];
  sd["lastModifiedAt"] = created;
  return sd;
}

json::object Builder::Base(const Rg& rg, std::string_view type, const std::string& name,
                           bool with_location) {
  json::object o;
  o["id"] = Id(rg, type, name);
  o["name"] = name;
  o["type"] = type;
  if (with_location) o["location"] = rg.location;
  if (rng_.Percent(65)) {
    json::object tags;
    tags["environment"] = rg.env;
    tags["application"] = rg.app;
    if (rng_.Percent(60)) tags["costCenter"] = "CC-" + std::to_string(1000 + rng_.Below(9000));
    if (rng_.Percent(40)) tags["owner"] = "team-" + rg.app;
    o["tags"] = std::move(tags);
  }
  o["systemData"] = SystemData();
  return o;
}

void Builder::Emit(json::object&& body) {
  t_.resources.emplace_back(std::move(body));
  --budget_;
}

void Builder::Diag(const std::string& target, int sub, int percent) {
  const std::string& ws = subs_[static_cast<size_t>(sub)].workspace_id;
  bool fits = budget_ > 0 && !ws.empty();
  if (!fits || !rng_.Percent(percent)) {
    diag_candidates_.emplace_back(target, sub);
    return;
  }
  json::object o;
  o["id"] = target + "/providers/Microsoft.Insights/diagnosticSettings/send-to-law";
  o["name"] = "send-to-law";
  o["type"] = "Microsoft.Insights/diagnosticSettings";
  json::object p;
  p["workspaceId"] = ws;
  p["logAnalyticsDestinationType"] = rng_.Percent(30) ? json::value("Dedicated") : json::value();
  json::object retention{{"enabled", false}, {"days", 0}};
  p["logs"] = json::array{json::object{{"category", nullptr},
                                       {"categoryGroup", "allLogs"},
                                       {"enabled", true},
                                       {"retentionPolicy", retention}}};
  p["metrics"] = json::array{
      json::object{{"category", "AllMetrics"}, {"enabled", true}, {"retentionPolicy", retention}}};
  o["properties"] = std::move(p);
  Emit(std::move(o));
}

bool Builder::RoleAssignment(const std::string& scope, int sub, int role, const Principal& p) {
  const Sub& s = subs_[static_cast<size_t>(sub)];
  if (budget_ <= 0 || s.role_definitions.empty()) return false;
  size_t r = static_cast<size_t>(role) < s.role_definitions.size() ? static_cast<size_t>(role)
             : s.role_definitions.size() > kReader                 ? kReader
                                                                   : 0;
  std::string name = rng_.Guid();
  json::object o;
  o["id"] = scope + "/providers/Microsoft.Authorization/roleAssignments/" + name;
  o["name"] = name;
  o["type"] = "Microsoft.Authorization/roleAssignments";
  json::object props;
  props["roleDefinitionId"] = s.role_definitions[r];
  props["principalId"] = p.id;
  props["principalType"] = p.type;
  props["scope"] = scope;
  props["condition"] = nullptr;
  props["conditionVersion"] = nullptr;
  std::string when = rng_.Timestamp();
  props["createdOn"] = when;
  props["updatedOn"] = when;
  props["createdBy"] =
      users_.empty() ? json::value() : json::value(users_[rng_.Below(users_.size())].id);
  props["updatedBy"] = props["createdBy"];
  props["delegatedManagedIdentityResourceId"] = nullptr;
  props["description"] = nullptr;
  o["properties"] = std::move(props);
  Emit(std::move(o));
  return true;
}

Identity Builder::SystemIdentity(const std::string& resource_id, const std::string& display_name) {
  Identity id;
  id.principal_id = rng_.Guid();
  id.client_id = rng_.Guid();
  json::object sp;
  sp["id"] = id.principal_id;
  sp["appId"] = id.client_id;
  sp["displayName"] = display_name;
  sp["servicePrincipalType"] = "ManagedIdentity";
  sp["accountEnabled"] = true;
  sp["alternativeNames"] = json::array{"isExplicit=False", resource_id};
  sp["servicePrincipalNames"] =
      json::array{id.client_id, "https://identity.azure.net/" + Hex(43) + "="};
  sp["appOwnerOrganizationId"] = nullptr;
  sp["signInAudience"] = nullptr;
  sp["tags"] = json::array();
  t_.service_principals.emplace_back(std::move(sp));
  identities_.push_back({id.principal_id, "ServicePrincipal"});
  return id;
}

Identity Builder::Uami(Rg& rg, const std::string& name) {
  Identity id =
      SystemIdentity(Id(rg, "Microsoft.ManagedIdentity/userAssignedIdentities", name), name);
  // The service principal of a user-assigned identity says so.
  t_.service_principals.back().as_object()["alternativeNames"].as_array()[0] = "isExplicit=True";
  id.id = Id(rg, "Microsoft.ManagedIdentity/userAssignedIdentities", name);
  json::object o = Base(rg, "Microsoft.ManagedIdentity/userAssignedIdentities", name);
  o["properties"] = json::object{
      {"tenantId", t_.tenant_id}, {"principalId", id.principal_id}, {"clientId", id.client_id}};
  Emit(std::move(o));
  return id;
}

json::object Builder::IdentityJson(const Identity* system, const Identity* user) {
  json::object o;
  if (system && user) {
    o["type"] = "SystemAssigned, UserAssigned";
  } else if (system) {
    o["type"] = "SystemAssigned";
  } else {
    o["type"] = "UserAssigned";
  }
  if (system) {
    o["principalId"] = system->principal_id;
    o["tenantId"] = t_.tenant_id;
  }
  if (user) {
    json::object u;
    u[user->id] = json::object{{"principalId", user->principal_id}, {"clientId", user->client_id}};
    o["userAssignedIdentities"] = std::move(u);
  }
  return o;
}

const Principal* Builder::AnyPrincipal() {
  int r = static_cast<int>(rng_.Below(100));
  if (r < 35 && !groups_.empty()) return &groups_[rng_.Below(groups_.size())];
  if (r < 65 && !users_.empty()) return &users_[rng_.Below(users_.size())];
  if (r < 85 && !apps_.empty()) return &apps_[rng_.Below(apps_.size())];
  if (!identities_.empty()) return &identities_[rng_.Below(identities_.size())];
  if (!groups_.empty()) return &groups_[rng_.Below(groups_.size())];
  if (!users_.empty()) return &users_[rng_.Below(users_.size())];
  if (!apps_.empty()) return &apps_[rng_.Below(apps_.size())];
  return nullptr;
}

const Principal* Builder::GroupOrUser() {
  if (!groups_.empty() && (users_.empty() || rng_.Percent(70))) {
    return &groups_[rng_.Below(groups_.size())];
  }
  if (!users_.empty()) return &users_[rng_.Below(users_.size())];
  return AnyPrincipal();
}

json::object Builder::Workspace(Rg& rg, const std::string& name) {
  json::object o = Base(rg, "Microsoft.OperationalInsights/workspaces", name);
  json::object p;
  p["customerId"] = rng_.Guid();
  p["provisioningState"] = "Succeeded";
  p["sku"] = json::object{{"name", "PerGB2018"}, {"lastSkuUpdate", rng_.Timestamp()}};
  p["retentionInDays"] = rng_.Percent(70) ? 30 : 90;
  p["features"] = json::object{{"enableLogAccessUsingOnlyResourcePermissions", true}};
  p["workspaceCapping"] = json::object{{"dailyQuotaGb", -1.0}};
  p["publicNetworkAccessForIngestion"] = "Enabled";
  p["publicNetworkAccessForQuery"] = "Enabled";
  p["createdDate"] = rng_.Timestamp();
  o["properties"] = std::move(p);
  return o;
}

void Builder::Subscriptions() {
  size_t subs = static_cast<size_t>(opt_.subscriptions);
  std::string org = ToLower(std::string_view(domain_).substr(0, domain_.find('.')));
  for (size_t i = 0; i < subs; ++i) {
    Sub s;
    s.id = rng_.Guid();
    s.path = "/subscriptions/" + s.id;
    s.region = Pick(rng_, kRegions);
    json::object o;
    o["subscriptionId"] = s.id;
    char num[24];
    std::snprintf(num, sizeof(num), "%02zu", i + 1);
    o["displayName"] = org + "-" + kSubPurposes[i % std::size(kSubPurposes)] + "-" + num;
    o["state"] = "Enabled";
    if (rng_.Percent(50)) o["tags"] = json::object{{"owner", "platform-team"}};
    t_.subscriptions.emplace_back(std::move(o));
    subs_.push_back(std::move(s));
  }
  // Built-in role definitions: ten per subscription, fewer when the tenant is tiny.
  size_t per_sub = std::min<size_t>(kRoleCount, static_cast<size_t>(budget_) / (10 * subs));
  if (per_sub == 0 && static_cast<size_t>(budget_) >= 4 * subs) per_sub = 1;
  for (Sub& s : subs_) {
    for (size_t r = 0; r < per_sub; ++r) {
      const RoleDef& rd = kRoles[r];
      json::object o;
      o["id"] = s.path + "/providers/Microsoft.Authorization/roleDefinitions/" + rd.guid;
      o["name"] = rd.guid;
      o["type"] = "Microsoft.Authorization/roleDefinitions";
      json::object p;
      p["roleName"] = rd.name;
      p["type"] = "BuiltInRole";
      p["description"] = rd.description;
      p["assignableScopes"] = json::array{"/"};
      p["permissions"] = json::array{json::object{{"actions", json::array{rd.action}},
                                                  {"notActions", json::array()},
                                                  {"dataActions", json::array()},
                                                  {"notDataActions", json::array()}}};
      p["createdOn"] = "2015-02-02T21:55:09.8806423Z";
      p["updatedOn"] = "2021-11-11T20:13:47.8628684Z";
      p["createdBy"] = nullptr;
      p["updatedBy"] = nullptr;
      o["properties"] = std::move(p);
      s.role_definitions.push_back(std::string(o["id"].as_string()));
      Emit(std::move(o));
    }
  }
  // A shared resource group with the Log Analytics workspace that diagnostic settings use,
  // and a few subscription-wide role assignments.
  for (size_t i = 0; i < subs_.size(); ++i) {
    Sub& s = subs_[i];
    Rg rg;
    rg.sub = static_cast<int>(i);
    rg.app = "platform";
    rg.env = "prod";
    rg.name = "rg-platform-monitoring";
    rg.location = s.region;
    rg.id = s.path + "/resourceGroups/" + rg.name;
    s.rg_names.insert(ToLower(rg.name));
    t_.resource_groups.emplace_back(
        json::object{{"id", rg.id},
                     {"name", rg.name},
                     {"location", rg.location},
                     {"tags", json::object{{"environment", "prod"}, {"owner", "platform-team"}}}});
    if (budget_ > static_cast<int>(subs_.size() - i)) {
      std::string name = "log-platform-" + s.region + "-" + Unique();
      json::object ws = Workspace(rg, name);
      s.workspace_id = std::string(ws["id"].as_string());
      Emit(std::move(ws));
    }
    rgs_.push_back(std::move(rg));
    if (budget_ > 100 * static_cast<int>(subs_.size())) {
      if (const Principal* p = GroupOrUser())
        RoleAssignment(s.path, static_cast<int>(i), kOwner, *p);
      if (!apps_.empty()) {
        RoleAssignment(s.path, static_cast<int>(i), kContributor, apps_[rng_.Below(apps_.size())]);
      }
      if (const Principal* p = GroupOrUser())
        RoleAssignment(s.path, static_cast<int>(i), kReader, *p);
    }
  }
}

void Builder::EnsureWatcher(Rg& rg) {
  Sub& s = subs_[static_cast<size_t>(rg.sub)];
  if (budget_ <= 0 || s.watcher_regions.count(rg.location)) return;
  if (s.watcher_rg < 0) {
    Rg w;
    w.sub = rg.sub;
    w.name = "NetworkWatcherRG";
    w.app = "network";
    w.env = "prod";
    w.location = rg.location;
    w.id = s.path + "/resourceGroups/" + w.name;
    s.rg_names.insert(ToLower(w.name));
    t_.resource_groups.emplace_back(
        json::object{{"id", w.id}, {"name", w.name}, {"location", w.location}});
    s.watcher_rg = static_cast<int>(rgs_.size());
    rgs_.push_back(std::move(w));
  }
  s.watcher_regions.insert(rg.location);
  Rg& w = rgs_[static_cast<size_t>(s.watcher_rg)];
  std::string name = "NetworkWatcher_" + rg.location;
  json::object o;
  o["id"] = Id(w, "Microsoft.Network/networkWatchers", name);
  o["name"] = name;
  o["type"] = "Microsoft.Network/networkWatchers";
  o["location"] = rg.location;
  o["etag"] = "W/\"" + rng_.Guid() + "\"";
  o["properties"] = json::object{{"provisioningState", "Succeeded"}};
  Emit(std::move(o));
}

void Builder::NewRg() {
  Rg rg;
  rg.sub = static_cast<int>(rng_.Below(subs_.size()));
  // Skew: the first subscriptions (production, typically) get more resource groups.
  if (subs_.size() > 2 && rng_.Percent(30)) rg.sub = static_cast<int>(rng_.Below(2));
  Sub& s = subs_[static_cast<size_t>(rg.sub)];
  rg.app = Pick(rng_, kApps);
  rg.env = Pick(rng_, kEnvs);
  rg.location = rng_.Percent(70) ? s.region : std::string(Pick(rng_, kRegions));
  std::string name = "rg-" + rg.app + "-" + rg.env;
  if (s.rg_names.count(name)) {
    for (int n = 2;; ++n) {
      std::string candidate = name + "-" + std::to_string(n);
      if (!s.rg_names.count(candidate)) {
        name = candidate;
        break;
      }
    }
  }
  s.rg_names.insert(name);
  rg.name = name;
  rg.id = s.path + "/resourceGroups/" + name;
  rg.octet = octet_++ % 250;
  rg.units_left = rng_.Range(2, 7);
  json::object o{{"id", rg.id}, {"name", rg.name}, {"location", rg.location}};
  if (rng_.Percent(70)) {
    o["tags"] = json::object{{"environment", rg.env}, {"application", rg.app}};
  }
  t_.resource_groups.emplace_back(std::move(o));
  current_rg_ = static_cast<int>(rgs_.size());
  rgs_.push_back(std::move(rg));
  Rg& cur = rgs_.back();
  int assignments = rng_.Range(0, 2);
  for (int i = 0; i < assignments; ++i) {
    if (const Principal* p = GroupOrUser()) {
      RoleAssignment(cur.id, cur.sub, cur.env == "prod" ? kReader : kContributor, *p);
    }
  }
  if (budget_ >= kMaxNetwork && rng_.Percent(75)) NetworkUnit(cur);
}

void Builder::Single() {
  Rg& rg = rgs_[static_cast<size_t>(current_rg_)];
  for (;;) {
    switch (rng_.Below(12)) {
      case 0:
        if (!diag_candidates_.empty() &&
            !subs_[static_cast<size_t>(diag_candidates_.back().second)].workspace_id.empty()) {
          auto [target, sub] = diag_candidates_.back();
          diag_candidates_.pop_back();
          Diag(target, sub, 100);
          return;
        }
        break;
      case 1:
        if (const Principal* p = AnyPrincipal()) {
          if (RoleAssignment(rg.id, rg.sub, kReader, *p)) return;
        }
        break;
      case 2:
        StorageUnit(rg, false);
        return;
      case 3:
        PublicIpSingle(rg);
        return;
      case 4:
        Uami(rg, "id-" + rg.app + "-" + rg.env + "-" + Seq(rg));
        return;
      case 5:
        AvailabilitySetSingle(rg);
        return;
      case 6:
        RouteTableSingle(rg);
        return;
      case 7:
        AcrSingle(rg);
        return;
      case 8:
        ContainerGroupUnit(rg);
        return;
      case 9:
        KeyVaultUnit(rg, false);
        return;
      case 10:
        MessagingUnit(rg, rng_.Percent(50));
        return;
      default:
        RedisUnit(rg);
        return;
    }
  }
}

Result<Tenant> Builder::Run() {
  budget_ = opt_.resources;
  {
    Rng tid(Mix(opt_.seed, 3));
    t_.tenant_id = opt_.tenant_id.empty() ? tid.Guid() : ToLower(opt_.tenant_id);
  }
  t_.resources.reserve(static_cast<size_t>(opt_.resources));
  Directory();
  Subscriptions();
  struct Unit {
    int max;
    int weight;
    int need;  // 0 none, 1 a VNet, 2 a firewall subnet, 3 an app gateway subnet
    void (*run)(Builder&, Rg&);
  };
  static const Unit kUnits[] = {
      {kMaxVm, 22, 1, [](Builder& b, Rg& rg) { b.VmUnit(rg); }},
      {kMaxWeb, 14, 0, [](Builder& b, Rg& rg) { b.WebUnit(rg); }},
      {kMaxSql, 8, 0, [](Builder& b, Rg& rg) { b.SqlUnit(rg); }},
      {kMaxAks, 4, 0, [](Builder& b, Rg& rg) { b.AksUnit(rg); }},
      {kMaxStorage, 12, 0, [](Builder& b, Rg& rg) { b.StorageUnit(rg, true); }},
      {kMaxKeyVault, 9, 0, [](Builder& b, Rg& rg) { b.KeyVaultUnit(rg, true); }},
      {kMaxCosmos, 4, 0, [](Builder& b, Rg& rg) { b.CosmosUnit(rg); }},
      {kMaxMessaging, 5, 0, [](Builder& b, Rg& rg) { b.MessagingUnit(rg, true); }},
      {kMaxMessaging, 4, 0, [](Builder& b, Rg& rg) { b.MessagingUnit(rg, false); }},
      {kMaxRedis, 4, 0, [](Builder& b, Rg& rg) { b.RedisUnit(rg); }},
      {kMaxLoadBalancer, 5, 0, [](Builder& b, Rg& rg) { b.LoadBalancerUnit(rg); }},
      {kMaxAppGateway, 3, 3, [](Builder& b, Rg& rg) { b.AppGatewayUnit(rg); }},
      {kMaxFirewall, 2, 2, [](Builder& b, Rg& rg) { b.FirewallUnit(rg); }},
      {kMaxContainerGroup, 3, 0, [](Builder& b, Rg& rg) { b.ContainerGroupUnit(rg); }},
      {kMaxRecoveryVault, 2, 0, [](Builder& b, Rg& rg) { b.RecoveryVaultUnit(rg); }},
      {kMaxFrontDoor, 2, 0, [](Builder& b, Rg& rg) { b.FrontDoorUnit(rg); }},
  };
  while (budget_ > 0) {
    if (current_rg_ < 0 || rgs_[static_cast<size_t>(current_rg_)].units_left <= 0) {
      NewRg();
      continue;
    }
    Rg& rg = rgs_[static_cast<size_t>(current_rg_)];
    int total = 0;
    const Unit* fitting[std::size(kUnits)];
    size_t n = 0;
    for (const Unit& u : kUnits) {
      if (u.max > budget_) continue;
      if (u.need == 1 && rg.subnet_app.empty()) continue;
      if (u.need == 2 && rg.subnet_fw.empty()) continue;
      if (u.need == 3 && rg.subnet_appgw.empty()) continue;
      fitting[n++] = &u;
      total += u.weight;
    }
    int before = budget_;
    // The last few entries are single resources, so every small type gets its share.
    if (n == 0 || budget_ < 10) {
      Single();
    } else {
      int r = static_cast<int>(rng_.Below(static_cast<uint64_t>(total)));
      size_t k = 0;
      while (r >= fitting[k]->weight) r -= fitting[k++]->weight;
      fitting[k]->run(*this, rg);
      if (before - budget_ > fitting[k]->max) {
        return Status::Internal("generator unit emitted " + std::to_string(before - budget_) +
                                " entries, more than its declared maximum " +
                                std::to_string(fitting[k]->max));
      }
    }
    --rgs_[static_cast<size_t>(current_rg_)].units_left;
  }
  if (budget_ != 0 || t_.resources.size() != static_cast<size_t>(opt_.resources)) {
    return Status::Internal("generator produced " + std::to_string(t_.resources.size()) +
                            " resources instead of " + std::to_string(opt_.resources));
  }
  return std::move(t_);
}

}  // namespace gen

Result<Tenant> GenerateTenant(const GeneratorOptions& o) {
  auto range = [](const char* name, int64_t v, int64_t lo, int64_t hi) -> Status {
    if (v < lo || v > hi) {
      return Status::InvalidArgument(std::string(name) + " must be between " + std::to_string(lo) +
                                     " and " + std::to_string(hi) + ", got " + std::to_string(v));
    }
    return Status::Ok();
  };
  ATG_RETURN_IF_ERROR(range("subscriptions", o.subscriptions, 1, 1000));
  ATG_RETURN_IF_ERROR(range("resources", o.resources, 0, 5000000));
  ATG_RETURN_IF_ERROR(range("users", o.users, 0, 5000000));
  ATG_RETURN_IF_ERROR(range("groups", o.groups, 0, 1000000));
  if (o.service_principals != -1) {
    ATG_RETURN_IF_ERROR(
        range("service principals (-1 = derived from users)", o.service_principals, 0, 1000000));
  }
  if (!o.tenant_id.empty() && !IsGuid(o.tenant_id)) {
    return Status::InvalidArgument("tenant id '" + o.tenant_id +
                                   "' is not a GUID; give one like "
                                   "00000000-0000-0000-0000-000000000000 or leave it empty to "
                                   "derive it from the seed");
  }
  gen::Builder b(o);
  return b.Run();
}

}  // namespace atg::sim
