// Test-only helpers for the simulator's API handler tests: a small hand-built tenant that covers
// every shape the handlers serve, request construction and page walking. Not part of atg_lib's
// API (header-only, included by *_test.cc files).
#ifndef ATG_SIM_API_TESTING_H_
#define ATG_SIM_API_TESTING_H_

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "common/json.h"
#include "net/http_message.h"
#include "sim/tenant.h"

namespace atg::sim::api_testing {

inline constexpr const char* kTenantId = "72f988bf-0000-4000-8000-000000000001";
inline constexpr const char* kSub1 = "11111111-1111-4111-8111-111111111111";
inline constexpr const char* kSub2 = "22222222-2222-4222-8222-222222222222";
inline constexpr const char* kSub3 = "33333333-3333-4333-8333-333333333333";
inline constexpr const char* kArmBase = "http://127.0.0.1:4444";
inline constexpr const char* kGraphBase = "http://127.0.0.1:5555";
inline constexpr int kStorageAccounts = 2500;  // more than two ARM pages
inline constexpr int kUsers = 1200;            // more than one Graph page of 999

inline std::string Guid(int kind, int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-0000-4000-8000-%012x", kind, n);
  return buf;
}
inline std::string UserId(int n) { return Guid(0xaaaa, n); }
inline std::string GroupId(int n) { return Guid(0xbbbb, n); }
inline std::string SpId(int n) { return Guid(0xcccc, n); }

inline std::string Sub(const char* s) { return std::string("/subscriptions/") + s; }
inline std::string Rg(const char* s, const char* rg) { return Sub(s) + "/resourceGroups/" + rg; }

inline std::string VnetId() {
  return Rg(kSub1, "RG-Net") + "/providers/Microsoft.Network/virtualNetworks/vnet1";
}
inline std::string NsgId() {
  return Rg(kSub1, "RG-Net") + "/providers/Microsoft.Network/networkSecurityGroups/nsg1";
}
inline std::string VmId() {
  return Rg(kSub1, "rg-app") + "/providers/Microsoft.Compute/virtualMachines/vm1";
}
inline std::string SqlId() { return Rg(kSub1, "rg-app") + "/providers/Microsoft.Sql/servers/sql1"; }
inline std::string KvId() {
  return Rg(kSub2, "rg-other") + "/providers/Microsoft.KeyVault/vaults/kv1";
}
inline std::string RoleAssignmentId(const std::string& scope, const char* name) {
  return scope + "/providers/Microsoft.Authorization/roleAssignments/" + name;
}

inline json::object Resource(const std::string& id, const char* type, json::object extra = {}) {
  json::object o;
  o["id"] = id;
  o["name"] = id.substr(id.rfind('/') + 1);
  o["type"] = type;
  for (auto& kv : extra) o[kv.key()] = kv.value();
  return o;
}

// Ground truth used by the tests:
//  sub1: RG-Net {vnet1 (+2 subnets), nsg1 (+1 rule, +1 diagnostic setting)},
//        rg-app {vm1 (+1 extension), sql1 (+2 databases, +1 firewall rule), 2500 storage accounts};
//        role assignments at sub1, rg-app and vm1; a custom role definition at sub1.
//  sub2: rg-other {kv1}; a role assignment at sub2.
//  sub3: no resource groups.
//  tenant-level built-in role definition "Owner".
//  1200 users, groups g0 {u0, g1, sp0}, g1 {u1, u2, g2}, g2 {u0, g0} (a cycle), g3 with 30 users;
//  service principals sp0 (Application) and sp1 (ManagedIdentity).
inline Tenant MakeTestTenant() {
  Tenant t;
  t.tenant_id = kTenantId;
  auto sub = [&](const char* id, const char* name) {
    t.subscriptions.push_back(
        json::object{{"subscriptionId", id}, {"displayName", name}, {"state", "Enabled"}});
  };
  sub(kSub1, "Production");
  sub(kSub2, "Other");
  sub(kSub3, "Empty");
  auto rg = [&](const char* s, const char* name, const char* loc) {
    t.resource_groups.push_back(
        json::object{{"id", Rg(s, name)}, {"name", name}, {"location", loc}});
  };
  rg(kSub1, "RG-Net", "westeurope");
  rg(kSub1, "rg-app", "eastus");
  rg(kSub2, "rg-other", "eastus");

  auto& r = t.resources;
  r.push_back(Resource(
      VnetId(), "Microsoft.Network/virtualNetworks",
      {{"location", "westeurope"},
       {"tags", json::object{{"env", "prod"}}},
       {"properties", json::object{{"addressSpace",
                                    json::object{{"addressPrefixes", json::array{"10.0.0.0/16"}}}},
                                   {"provisioningState", "Succeeded"}}}}));
  for (const char* s : {"sub-a", "sub-b"}) {
    r.push_back(Resource(VnetId() + "/subnets/" + s, "Microsoft.Network/virtualNetworks/subnets",
                         {{"properties", json::object{{"addressPrefix", "10.0.1.0/24"}}}}));
  }
  r.push_back(Resource(NsgId(), "Microsoft.Network/networkSecurityGroups",
                       {{"location", "westeurope"}, {"properties", json::object{}}}));
  r.push_back(Resource(NsgId() + "/securityRules/allow-ssh",
                       "Microsoft.Network/networkSecurityGroups/securityRules",
                       {{"properties", json::object{{"access", "Allow"}}}}));
  r.push_back(Resource(NsgId() + "/providers/Microsoft.Insights/diagnosticSettings/ds1",
                       "Microsoft.Insights/diagnosticSettings",
                       {{"properties", json::object{{"logs", json::array{}}}}}));
  r.push_back(Resource(VmId(), "Microsoft.Compute/virtualMachines",
                       {{"location", "eastus"},
                        {"zones", json::array{"1"}},
                        {"identity", json::object{{"type", "SystemAssigned"}}},
                        {"properties", json::object{{"vmId", "abc"},
                                                    {"hardwareProfile",
                                                     json::object{{"vmSize", "Standard_B2s"}}}}}}));
  r.push_back(Resource(VmId() + "/extensions/AzureMonitorLinuxAgent",
                       "Microsoft.Compute/virtualMachines/extensions",
                       {{"location", "eastus"}, {"properties", json::object{}}}));
  r.push_back(
      Resource(SqlId(), "Microsoft.Sql/servers",
               {{"location", "eastus"}, {"kind", "v12.0"}, {"properties", json::object{}}}));
  for (const char* d : {"db1", "db2"}) {
    r.push_back(Resource(SqlId() + "/databases/" + d, "Microsoft.Sql/servers/databases",
                         {{"location", "eastus"},
                          {"sku", json::object{{"name", "S0"}, {"tier", "Standard"}}},
                          {"properties", json::object{}}}));
  }
  r.push_back(Resource(SqlId() + "/firewallRules/AllowAll", "Microsoft.Sql/servers/firewallRules",
                       {{"properties", json::object{{"startIpAddress", "0.0.0.0"}}}}));
  for (int i = 0; i < kStorageAccounts; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "st%05d", i);
    r.push_back(
        Resource(Rg(kSub1, "rg-app") + "/providers/Microsoft.Storage/storageAccounts/" + name,
                 "Microsoft.Storage/storageAccounts",
                 {{"location", i % 2 ? "eastus" : "westus"},
                  {"kind", "StorageV2"},
                  {"sku", json::object{{"name", "Standard_LRS"}}},
                  {"properties", json::object{{"index", i}}}}));
  }
  r.push_back(Resource(KvId(), "Microsoft.KeyVault/vaults",
                       {{"location", "eastus"}, {"properties", json::object{}}}));
  auto ra = [&](const std::string& scope, const char* name, const std::string& principal) {
    r.push_back(
        Resource(RoleAssignmentId(scope, name), "Microsoft.Authorization/roleAssignments",
                 {{"properties",
                   json::object{{"roleDefinitionId",
                                 Sub(kSub1) + "/providers/Microsoft.Authorization/roleDefinitions/"
                                              "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"},
                                {"principalId", principal},
                                {"principalType", "User"},
                                {"scope", scope}}}}));
  };
  ra(Sub(kSub1), "a0000000-0000-4000-8000-000000000001", UserId(0));
  ra(Rg(kSub1, "rg-app"), "a0000000-0000-4000-8000-000000000002", UserId(1));
  ra(VmId(), "a0000000-0000-4000-8000-000000000003", UserId(0));
  ra(Sub(kSub2), "a0000000-0000-4000-8000-000000000004", UserId(2));
  r.push_back(Resource(
      Sub(kSub1) + "/providers/Microsoft.Authorization/roleDefinitions/"
                   "d0000000-0000-4000-8000-000000000001",
      "Microsoft.Authorization/roleDefinitions",
      {{"properties", json::object{{"roleName", "Custom Reader"}, {"type", "CustomRole"}}}}));
  r.push_back(Resource(
      "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
      "Microsoft.Authorization/roleDefinitions",
      {{"properties", json::object{{"roleName", "Owner"}, {"type", "BuiltInRole"}}}}));

  for (int i = 0; i < kUsers; ++i) {
    char upn[64];
    std::snprintf(upn, sizeof upn, "user%04d@contoso.example", i);
    t.users.push_back(json::object{{"id", UserId(i)},
                                   {"displayName", std::string("User ") + std::to_string(i)},
                                   {"userPrincipalName", upn},
                                   {"accountEnabled", true}});
  }
  auto group = [&](int n, json::array members) {
    t.groups.push_back(json::object{{"id", GroupId(n)},
                                    {"displayName", "Group " + std::to_string(n)},
                                    {"securityEnabled", true},
                                    {"members", std::move(members)}});
  };
  group(0, {UserId(0), GroupId(1), SpId(0)});
  group(1, {UserId(1), UserId(2), GroupId(2)});
  group(2, {UserId(0), GroupId(0)});
  json::array many;
  for (int i = 0; i < 30; ++i) many.push_back(json::value(UserId(100 + i)));
  group(3, std::move(many));
  t.service_principals.push_back(json::object{{"id", SpId(0)},
                                              {"appId", Guid(0xdddd, 0)},
                                              {"displayName", "app0"},
                                              {"servicePrincipalType", "Application"}});
  t.service_principals.push_back(json::object{{"id", SpId(1)},
                                              {"appId", Guid(0xdddd, 1)},
                                              {"displayName", "mi1"},
                                              {"servicePrincipalType", "ManagedIdentity"}});
  return t;
}

// A synthetic tenant of about `n` resources spread over `subs` subscriptions and 50 resource
// groups each: virtual networks with two subnets, NICs and storage accounts with bodies of
// realistic size (~1 KB). For timing index builds and handlers.
inline Tenant MakeLargeTenant(int n, int subs = 4) {
  Tenant t;
  t.tenant_id = kTenantId;
  std::vector<std::string> sub_ids;
  for (int s = 0; s < subs; ++s) {
    sub_ids.push_back(Guid(0x5000 + s, s));
    t.subscriptions.push_back(json::object{{"subscriptionId", sub_ids.back()},
                                           {"displayName", "sub" + std::to_string(s)}});
    for (int g = 0; g < 50; ++g) {
      t.resource_groups.push_back(json::object{
          {"id", "/subscriptions/" + sub_ids.back() + "/resourceGroups/rg" + std::to_string(g)},
          {"name", "rg" + std::to_string(g)},
          {"location", "eastus"}});
    }
  }
  json::object props{{"provisioningState", "Succeeded"},
                     {"description", std::string(600, 'x')},
                     {"settings", json::object{{"a", 1}, {"b", json::array{"c", "d", "e"}}}}};
  for (int i = 0; t.resources.size() < static_cast<size_t>(n); ++i) {
    std::string rg = "/subscriptions/" + sub_ids[i % subs] + "/resourceGroups/rg" +
                     std::to_string((i / subs) % 50);
    std::string name = "r" + std::to_string(i);
    json::object extra{{"location", "eastus"},
                       {"tags", json::object{{"env", i % 3 ? "prod" : "dev"}}},
                       {"properties", props}};
    switch (i % 4) {
      case 0: {
        std::string vnet = rg + "/providers/Microsoft.Network/virtualNetworks/" + name;
        t.resources.push_back(Resource(vnet, "Microsoft.Network/virtualNetworks", extra));
        for (const char* s : {"a", "b"}) {
          t.resources.push_back(Resource(vnet + "/subnets/" + s,
                                         "Microsoft.Network/virtualNetworks/subnets",
                                         {{"properties", props}}));
        }
        break;
      }
      case 1:
        t.resources.push_back(
            Resource(rg + "/providers/Microsoft.Network/networkInterfaces/" + name,
                     "Microsoft.Network/networkInterfaces", extra));
        break;
      default:
        t.resources.push_back(Resource(rg + "/providers/Microsoft.Storage/storageAccounts/" + name,
                                       "Microsoft.Storage/storageAccounts", extra));
    }
  }
  return t;
}

inline net::HttpRequest MakeRequest(std::string method, std::string target, std::string body = "") {
  net::HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  r.remote_address = "127.0.0.1";
  r.ParseTarget();
  return r;
}

// The target part of an absolute next link ("http://host:port/path?q" -> "/path?q").
inline std::string TargetOf(std::string_view link, std::string_view base) {
  if (link.substr(0, base.size()) == base) link.remove_prefix(base.size());
  return std::string(link);
}

inline json::value Body(const net::HttpResponse& r) {
  auto v = ParseJson(r.body);
  return v.ok() ? *v : json::value();
}

inline std::string ErrorCode(const net::HttpResponse& r) {
  auto v = Body(r);
  auto c = FindString(FindObject(v.if_object(), "error"), "code");
  return c ? std::string(*c) : "";
}

inline std::string ErrorMessage(const net::HttpResponse& r) {
  auto v = Body(r);
  auto c = FindString(FindObject(v.if_object(), "error"), "message");
  return c ? std::string(*c) : "";
}

}  // namespace atg::sim::api_testing

#endif  // ATG_SIM_API_TESTING_H_
