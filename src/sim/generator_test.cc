#include "sim/generator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "common/arm_id.h"
#include "common/strings.h"
#include "sim/catalog.h"

namespace atg::sim {
namespace {

namespace fs = std::filesystem;

std::string S(const json::value& v) { return std::string(v.as_string()); }
std::string S(const json::object& o, std::string_view key) { return S(o.at(key)); }

GeneratorOptions Options(uint64_t seed, int subs, int resources) {
  GeneratorOptions o;
  o.seed = seed;
  o.subscriptions = subs;
  o.resources = resources;
  o.users = 60;
  o.groups = 15;
  return o;
}

// One shared mid-sized tenant for the structural checks (generation takes milliseconds, but
// the checks walk every string).
const Tenant& Mid() {
  static const Tenant t = [] {
    auto r = GenerateTenant(Options(12345, 3, 4000));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : Tenant();
  }();
  return t;
}

std::string Dump(const Tenant& t) {
  std::string path =
      (fs::temp_directory_path() / ("atg_generator_test_" + std::to_string(::getpid()) + ".json"))
          .string();
  EXPECT_TRUE(DumpTenantFile(t, path).ok());
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  fs::remove(path);
  return ss.str();
}

TEST(GeneratorTest, RejectsNonsenseOptions) {
  struct Case {
    std::function<void(GeneratorOptions&)> mutate;
    const char* expected;
  };
  const Case kCases[] = {
      {[](GeneratorOptions& o) { o.subscriptions = 0; }, "subscriptions must be between 1"},
      {[](GeneratorOptions& o) { o.subscriptions = 5000; }, "subscriptions must be between 1"},
      {[](GeneratorOptions& o) { o.resources = -1; }, "resources must be between 0"},
      {[](GeneratorOptions& o) { o.users = -5; }, "users must be between 0"},
      {[](GeneratorOptions& o) { o.groups = -1; }, "groups must be between 0"},
      {[](GeneratorOptions& o) { o.service_principals = -2; }, "service principals"},
      {[](GeneratorOptions& o) { o.tenant_id = "contoso.onmicrosoft.com"; }, "is not a GUID"},
  };
  for (const Case& c : kCases) {
    GeneratorOptions o = Options(1, 1, 10);
    c.mutate(o);
    auto r = GenerateTenant(o);
    ASSERT_FALSE(r.ok()) << c.expected;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.expected), std::string::npos) << r.status().message();
  }
}

TEST(GeneratorTest, SameOptionsGiveByteIdenticalDumps) {
  auto a = GenerateTenant(Options(99, 2, 1500));
  auto b = GenerateTenant(Options(99, 2, 1500));
  ASSERT_TRUE(a.ok() && b.ok());
  std::string da = Dump(*a);
  EXPECT_GT(da.size(), 100000u);
  EXPECT_EQ(da, Dump(*b));
  auto c = GenerateTenant(Options(100, 2, 1500));
  ASSERT_TRUE(c.ok());
  EXPECT_NE(c->tenant_id, a->tenant_id);
  EXPECT_NE(S(c->resources[0].as_object(), "id"), S(a->resources[0].as_object(), "id"));
  EXPECT_NE(Dump(*c), da);
}

TEST(GeneratorTest, TenantIdCanBeGiven) {
  GeneratorOptions o = Options(5, 1, 50);
  o.tenant_id = "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE";
  auto t = GenerateTenant(o);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->tenant_id, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
}

TEST(GeneratorTest, ResourceCountIsExactAndTheTenantIsValid) {
  const std::pair<int, int> kSizes[] = {{1, 0},    {1, 1},    {1, 5},   {2, 9},
                                        {3, 37},   {1, 120},  {4, 333}, {2, 1001},
                                        {7, 2500}, {1000, 5}, {50, 700}};
  for (auto [subs, n] : kSizes) {
    auto t = GenerateTenant(Options(static_cast<uint64_t>(n) + 1, subs, n));
    ASSERT_TRUE(t.ok()) << n << ": " << t.status().ToString();
    EXPECT_EQ(t->resources.size(), static_cast<size_t>(n));
    EXPECT_EQ(t->subscriptions.size(), static_cast<size_t>(subs));
    EXPECT_EQ(t->users.size(), 60u);
    EXPECT_EQ(t->groups.size(), 15u);
    auto valid = TenantFromJson(TenantToJson(*t));
    EXPECT_TRUE(valid.ok()) << n << ": " << valid.status().ToString();
  }
}

TEST(GeneratorTest, DirectoryCounts) {
  GeneratorOptions o = Options(3, 1, 1500);
  o.users = 0;
  o.groups = 0;
  o.service_principals = 0;
  auto empty = GenerateTenant(o);
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(empty->resources.size(), 1500u);
  EXPECT_TRUE(empty->users.empty());
  EXPECT_TRUE(TenantFromJson(TenantToJson(*empty)).ok());

  o.users = 1000;
  o.groups = 40;
  o.service_principals = -1;
  auto t = GenerateTenant(o);
  ASSERT_TRUE(t.ok());
  size_t apps = 0;
  for (const auto& sp : t->service_principals) {
    if (S(sp.as_object(), "servicePrincipalType") == "Application") ++apps;
  }
  EXPECT_EQ(apps, 20u);  // max(5, users / 50)
  bool nested = false;
  std::unordered_set<std::string> group_ids;
  for (const auto& g : t->groups) group_ids.insert(S(g.as_object(), "id"));
  for (const auto& g : t->groups) {
    for (const auto& m : g.as_object().at("members").as_array()) {
      nested = nested || group_ids.count(S(m));
    }
  }
  EXPECT_TRUE(nested) << "some groups should contain groups";
}

TEST(GeneratorTest, AtLeastThirtyTypesAllInTheCatalogWithCanonicalCasing) {
  std::map<std::string, int> by_type;
  for (const auto& r : Mid().resources) {
    std::string type = S(r.as_object(), "type");
    const ResourceTypeInfo* info = FindResourceType(type);
    ASSERT_NE(info, nullptr) << type;
    EXPECT_EQ(info->type, type);
    ++by_type[type];
  }
  EXPECT_GE(by_type.size(), 30u);
  for (const char* must :
       {"Microsoft.Network/virtualNetworks/subnets", "Microsoft.Compute/virtualMachines/extensions",
        "Microsoft.Authorization/roleAssignments", "Microsoft.Authorization/roleDefinitions",
        "Microsoft.Insights/diagnosticSettings", "Microsoft.Network/privateEndpoints",
        "Microsoft.Sql/servers/databases"}) {
    EXPECT_GT(by_type[must], 0) << must;
  }
}

// Every ARM id found anywhere in a body names an entry of the tenant, or a sub-resource (a type
// the catalog does not list, such as a NIC's ipConfigurations) of an existing resource.
TEST(GeneratorTest, EveryArmIdInABodyResolves) {
  const Tenant& t = Mid();
  std::unordered_set<std::string> subs, rgs, resources;
  for (const auto& s : t.subscriptions) subs.insert(ToLower(S(s.as_object(), "subscriptionId")));
  for (const auto& g : t.resource_groups) rgs.insert(ToLower(S(g.as_object(), "id")));
  for (const auto& r : t.resources) resources.insert(ToLower(S(r.as_object(), "id")));

  auto resolves = [&](const std::string& id, std::string* why) {
    auto parsed = ParseArmId(id);
    if (!parsed.ok()) {
      *why = parsed.status().message();
      return false;
    }
    if (parsed->is_subscription()) return subs.count(ToLower(parsed->subscription_id)) > 0;
    if (parsed->is_resource_group()) return rgs.count(ToLower(id)) > 0;
    std::string cur = id;
    for (;;) {
      if (resources.count(ToLower(cur))) return true;
      auto p = ParseArmId(cur);
      if (FindResourceType(p->type) != nullptr || p->parent().empty()) {
        *why = "no entry " + cur;
        return false;
      }
      cur = p->parent();  // a sub-resource: its parent must exist
    }
  };
  size_t checked = 0;
  std::function<void(const json::value&, const std::string&)> walk = [&](const json::value& v,
                                                                         const std::string& where) {
    if (v.is_string()) {
      std::string s = S(v);
      if (StartsWithIgnoreCase(s, "/subscriptions/")) {
        ++checked;
        std::string why;
        EXPECT_TRUE(resolves(s, &why)) << where << ": " << s << " " << why;
      }
    } else if (v.is_object()) {
      for (const auto& kv : v.as_object()) {
        if (StartsWithIgnoreCase(std::string_view(kv.key().data(), kv.key().size()),
                                 "/subscriptions/")) {
          std::string why;
          EXPECT_TRUE(resolves(std::string(kv.key()), &why)) << where << " key " << why;
        }
        walk(kv.value(), where);
      }
    } else if (v.is_array()) {
      for (const auto& e : v.as_array()) walk(e, where);
    }
  };
  for (const auto& r : t.resources) walk(r, S(r.as_object(), "id"));
  for (const auto& g : t.resource_groups) walk(g, S(g.as_object(), "id"));
  for (const auto& sp : t.service_principals) walk(sp, S(sp.as_object(), "id"));
  EXPECT_GT(checked, t.resources.size() * 2);
}

TEST(GeneratorTest, PrincipalsResolveAndIdentitiesHaveServicePrincipals) {
  const Tenant& t = Mid();
  std::unordered_map<std::string, std::string> kind;  // object id -> kind
  for (const auto& u : t.users) kind[S(u.as_object(), "id")] = "User";
  for (const auto& g : t.groups) kind[S(g.as_object(), "id")] = "Group";
  std::unordered_map<std::string, std::string> mi_resource;  // principal id -> ARM id
  for (const auto& sp : t.service_principals) {
    const auto& o = sp.as_object();
    kind[S(o, "id")] = "ServicePrincipal";
    if (S(o, "servicePrincipalType") == "ManagedIdentity") {
      const auto& alt = o.at("alternativeNames").as_array();
      ASSERT_EQ(alt.size(), 2u);
      mi_resource[S(o, "id")] = ToLower(S(alt[1]));
    }
  }
  std::set<std::string> scopes;
  size_t assignments = 0;
  for (const auto& r : t.resources) {
    const auto& o = r.as_object();
    const std::string id = S(o, "id");
    if (S(o, "type") == "Microsoft.Authorization/roleAssignments") {
      ++assignments;
      const auto& p = o.at("properties").as_object();
      auto it = kind.find(S(p, "principalId"));
      ASSERT_NE(it, kind.end()) << id;
      EXPECT_EQ(it->second, S(p, "principalType")) << id;
      auto parsed = ParseArmId(id);
      ASSERT_TRUE(parsed.ok());
      EXPECT_TRUE(EqualsIgnoreCase(parsed->parent_id, S(p, "scope"))) << id;
      const std::string scope_id = S(p, "scope");
      auto scope = ParseArmId(scope_id);
      scopes.insert(scope->is_subscription()     ? "subscription"
                    : scope->is_resource_group() ? "resource group"
                                                 : "resource");
      EXPECT_TRUE(StartsWithIgnoreCase(S(p, "roleDefinitionId"),
                                       "/subscriptions/" + std::string(parsed->subscription_id)));
    }
    if (S(o, "type") == "Microsoft.ManagedIdentity/userAssignedIdentities") {
      const auto& p = o.at("properties").as_object();
      ASSERT_TRUE(mi_resource.count(S(p, "principalId"))) << id;
      EXPECT_EQ(mi_resource[S(p, "principalId")], ToLower(id));
    }
    if (const auto* identity = FindObject(&o, "identity")) {
      if (auto pid = FindString(identity, "principalId")) {
        ASSERT_TRUE(mi_resource.count(std::string(*pid))) << id;
        EXPECT_EQ(mi_resource[std::string(*pid)], ToLower(id));
      }
      if (const auto* uai = FindObject(identity, "userAssignedIdentities")) {
        for (const auto& kv : *uai) {
          std::string pid = S(kv.value().as_object(), "principalId");
          ASSERT_TRUE(mi_resource.count(pid)) << id;
          EXPECT_EQ(mi_resource[pid], ToLower(std::string(kv.key())));
        }
      }
    }
  }
  EXPECT_GT(assignments, 20u);
  EXPECT_EQ(scopes, (std::set<std::string>{"subscription", "resource group", "resource"}));
}

TEST(GeneratorTest, RoleDefinitionsAreBuiltInsWithRealIds) {
  const Tenant& t = Mid();
  std::set<std::string> owners;
  for (const auto& r : t.resources) {
    const auto& o = r.as_object();
    if (S(o, "type") != "Microsoft.Authorization/roleDefinitions") continue;
    const std::string id = S(o, "id");
    auto parsed = ParseArmId(id);
    ASSERT_TRUE(parsed.ok());
    EXPECT_TRUE(parsed->resource_group.empty());
    EXPECT_TRUE(IsGuid(parsed->name));
    if (S(o, "name") == "8e3af657-a8ff-443c-a75c-2fe8c4bcb635") {
      EXPECT_EQ(S(o.at("properties").as_object(), "roleName"), "Owner");
      owners.insert(std::string(parsed->subscription_id));
    }
  }
  EXPECT_EQ(owners.size(), t.subscriptions.size());
}

TEST(GeneratorTest, ChildrenAreInlinedConsistentlyWithTheirEntries) {
  const Tenant& t = Mid();
  std::unordered_map<std::string, const json::object*> by_id;
  for (const auto& r : t.resources) by_id[ToLower(S(r.as_object(), "id"))] = &r.as_object();
  size_t inlined = 0, children = 0;
  for (const auto& r : t.resources) {
    const auto& o = r.as_object();
    const ResourceTypeInfo* info = FindResourceType(S(o, "type"));
    ASSERT_NE(info, nullptr);
    if (info->inlined_in_parent_property.empty()) continue;
    ++children;
    // The entry appears in its parent's list ...
    std::string id = S(o, "id");
    std::string parent_id = id.substr(0, id.rfind('/', id.rfind('/') - 1));
    ASSERT_TRUE(by_id.count(ToLower(parent_id))) << id;
    const json::object& parent = *by_id[ToLower(parent_id)];
    const auto& list =
        parent.at("properties").as_object().at(info->inlined_in_parent_property).as_array();
    bool found = false;
    for (const auto& e : list) found = found || S(e.as_object(), "id") == id;
    EXPECT_TRUE(found) << id << " not inlined in " << parent_id;
  }
  // ... and every inlined element is an entry with the same name and properties.
  for (const auto& r : t.resources) {
    const auto& o = r.as_object();
    for (const auto& info : ResourceTypeCatalog()) {
      if (info.inlined_in_parent_property.empty()) continue;
      if (info.type.rfind(S(o, "type") + "/", 0) != 0) continue;
      for (const auto& e :
           o.at("properties").as_object().at(info.inlined_in_parent_property).as_array()) {
        ++inlined;
        const auto& child = e.as_object();
        auto it = by_id.find(ToLower(S(child, "id")));
        ASSERT_NE(it, by_id.end()) << S(child, "id");
        EXPECT_EQ(S(child, "name"), S(*it->second, "name"));
        EXPECT_EQ(child.at("properties"), it->second->at("properties"));
      }
    }
  }
  EXPECT_EQ(inlined, children);
  EXPECT_GT(children, 100u);
}

// A subnet lists the ip configurations in it, as ARM reports them (and the VNet's copy agrees,
// which the test above checks).
TEST(GeneratorTest, SubnetsListTheNicsInThem) {
  const Tenant& t = Mid();
  std::unordered_map<std::string, std::set<std::string>> listed;  // subnet id -> ipconfig ids
  for (const auto& r : t.resources) {
    const auto& o = r.as_object();
    if (S(o, "type") != "Microsoft.Network/virtualNetworks/subnets") continue;
    if (const auto* ipc = FindArray(&o.at("properties").as_object(), "ipConfigurations")) {
      for (const auto& e : *ipc) listed[S(o, "id")].insert(S(e.as_object(), "id"));
    }
  }
  size_t nics = 0;
  for (const auto& r : t.resources) {
    const auto& o = r.as_object();
    if (S(o, "type") != "Microsoft.Network/networkInterfaces") continue;
    for (const auto& ipc : o.at("properties").as_object().at("ipConfigurations").as_array()) {
      const auto& p = ipc.as_object().at("properties").as_object();
      std::string subnet = S(p.at("subnet").as_object(), "id");
      EXPECT_TRUE(listed[subnet].count(S(ipc.as_object(), "id"))) << S(o, "id");
      ++nics;
    }
  }
  EXPECT_GT(nics, 50u);
}

TEST(GeneratorTest, DiagnosticSettingsOnlyOnCommonTypesAndSendToAWorkspace) {
  const Tenant& t = Mid();
  std::unordered_map<std::string, std::string> type_of;
  for (const auto& r : t.resources) {
    type_of[ToLower(S(r.as_object(), "id"))] = S(r.as_object(), "type");
  }
  std::set<std::string> targets;
  size_t settings = 0;
  for (const auto& r : t.resources) {
    const auto& o = r.as_object();
    if (S(o, "type") != "Microsoft.Insights/diagnosticSettings") continue;
    ++settings;
    std::string id = S(o, "id");
    auto parsed = ParseArmId(id);
    ASSERT_TRUE(parsed.ok());
    ASSERT_TRUE(parsed->is_extension()) << id;
    std::string scope = ToLower(parsed->parent_id);
    ASSERT_TRUE(type_of.count(scope)) << id;
    const ResourceTypeInfo* info = FindResourceType(type_of[scope]);
    ASSERT_NE(info, nullptr);
    EXPECT_TRUE(info->diagnostic_settings_common) << type_of[scope];
    std::string ws = ToLower(S(o.at("properties").as_object(), "workspaceId"));
    ASSERT_TRUE(type_of.count(ws)) << ws;
    EXPECT_EQ(type_of[ws], "Microsoft.OperationalInsights/workspaces");
    targets.insert(ToLower(parsed->parent_id));
  }
  EXPECT_GT(settings, 50u);
  EXPECT_EQ(targets.size(), settings) << "one setting per resource";
}

TEST(GeneratorTest, BodiesCarryTheArmShape) {
  const Tenant& t = Mid();
  size_t tagged = 0, top = 0;
  for (const auto& r : t.resources) {
    const auto& o = r.as_object();
    const ResourceTypeInfo* info = FindResourceType(S(o, "type"));
    ASSERT_NE(info, nullptr);
    if (info->extension || info->child) continue;
    ++top;
    EXPECT_TRUE(o.contains("location")) << S(o, "id");
    EXPECT_TRUE(o.contains("properties")) << S(o, "id");
    if (o.contains("tags")) ++tagged;
  }
  EXPECT_GT(tagged, top / 3);
  EXPECT_LT(tagged, top);
  // Names obey Azure's naming rules where they are strict (globally unique DNS names).
  const std::regex storage(R"([a-z0-9]{3,24})");
  const std::regex vault(R"([a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9])");
  const std::regex registry(R"([a-zA-Z0-9]{5,50})");
  for (const auto& r : t.resources) {
    const auto& o = r.as_object();
    const std::string type = S(o, "type"), name = S(o, "name");
    if (type == "Microsoft.Storage/storageAccounts")
      EXPECT_TRUE(std::regex_match(name, storage)) << name;
    if (type == "Microsoft.KeyVault/vaults") EXPECT_TRUE(std::regex_match(name, vault)) << name;
    if (type == "Microsoft.ContainerRegistry/registries") {
      EXPECT_TRUE(std::regex_match(name, registry)) << name;
    }
  }
  // A VM points at its NIC, disks and (when it has one) user-assigned identity.
  bool saw_vm = false;
  for (const auto& r : t.resources) {
    const auto& o = r.as_object();
    if (S(o, "type") != "Microsoft.Compute/virtualMachines") continue;
    saw_vm = true;
    const auto& p = o.at("properties").as_object();
    EXPECT_TRUE(p.at("hardwareProfile").as_object().contains("vmSize"));
    const auto& os = p.at("storageProfile").as_object().at("osDisk").as_object();
    EXPECT_TRUE(StartsWithIgnoreCase(S(os.at("managedDisk").as_object(), "id"), "/subscriptions/"));
    EXPECT_FALSE(p.at("networkProfile").as_object().at("networkInterfaces").as_array().empty());
    break;
  }
  EXPECT_TRUE(saw_vm);
}

}  // namespace
}  // namespace atg::sim
