#include "sim/tenant.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>

#include "common/arm_id.h"
#include "common/strings.h"
#include "common/temp_dir.h"
#include "sim/generator.h"

namespace atg::sim {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr const char* kSub = "11111111-2222-3333-4444-555555555555";
constexpr const char* kRg =
    "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg1";
constexpr const char* kVnet =
    "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg1/providers/"
    "Microsoft.Network/virtualNetworks/vnet1";

// A small valid document every invalid case starts from.
json::object ValidDoc() {
  json::object doc;
  doc["tenant_id"] = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  doc["subscriptions"] = json::array{
      json::object{{"subscriptionId", kSub}, {"displayName", "s"}, {"state", "Enabled"}}};
  doc["resource_groups"] =
      json::array{json::object{{"id", kRg}, {"name", "rg1"}, {"location", "eastus"}}};
  doc["resources"] = json::array{
      json::object{{"id", kVnet},
                   {"name", "vnet1"},
                   {"type", "Microsoft.Network/virtualNetworks"},
                   {"location", "eastus"},
                   {"tags", json::object{{"env", "dev"}}},
                   {"properties", json::object()}},
      json::object{{"id", std::string(kVnet) + "/subnets/default"},
                   {"name", "default"},
                   {"type", "Microsoft.Network/virtualNetworks/subnets"},
                   {"properties", json::object()}},
      json::object{
          {"id", std::string(kVnet) + "/providers/Microsoft.Insights/diagnosticSettings/d1"},
          {"name", "d1"},
          {"type", "Microsoft.Insights/diagnosticSettings"}},
      json::object{{"id", std::string("/subscriptions/") + kSub +
                              "/providers/Microsoft.Authorization/roleDefinitions/"
                              "acdd72a7-3385-48ef-bd42-f6fba9bd9f6d"},
                   {"name", "acdd72a7-3385-48ef-bd42-f6fba9bd9f6d"},
                   {"type", "Microsoft.Authorization/roleDefinitions"}}};
  doc["users"] = json::array{json::object{{"id", "00000000-0000-0000-0000-000000000001"},
                                          {"displayName", "Adele Vance"},
                                          {"userPrincipalName", "adele@contoso.com"}}};
  doc["groups"] =
      json::array{json::object{{"id", "00000000-0000-0000-0000-000000000002"},
                               {"displayName", "g"},
                               {"members", json::array{"00000000-0000-0000-0000-000000000001",
                                                       "00000000-0000-0000-0000-000000000003"}}}};
  doc["service_principals"] = json::array{json::object{
      {"id", "00000000-0000-0000-0000-000000000003"}, {"displayName", "app"}, {"appId", "x"}}};
  return doc;
}

json::object& Obj(json::object& doc, const char* list, size_t i) {
  return doc[list].as_array()[i].as_object();
}

TEST(TenantTest, AcceptsTheValidDocument) {
  auto t = TenantFromJson(json::value(ValidDoc()));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->tenant_id, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  EXPECT_EQ(t->resources.size(), 4u);
  EXPECT_EQ(t->groups.size(), 1u);
}

TEST(TenantTest, DirectoryListsAreOptional) {
  json::object doc = ValidDoc();
  doc.erase("users");
  doc.erase("groups");
  doc.erase("service_principals");
  auto t = TenantFromJson(json::value(doc));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(t->users.empty());
}

TEST(TenantTest, RejectsInvalidDocumentsNamingThePath) {
  struct Case {
    const char* what;
    std::function<void(json::object&)> mutate;
    std::string expected;  // substring of the message: the JSON path and the reason
  };
  const Case kCases[] = {
      {"tenant id missing", [](json::object& d) { d.erase("tenant_id"); },
       "$.tenant_id: required string is missing"},
      {"tenant id not a guid", [](json::object& d) { d["tenant_id"] = "contoso"; },
       "$.tenant_id: 'contoso' is not a GUID"},
      {"unknown top-level field", [](json::object& d) { d["resource"] = json::array(); },
       "$.resource: unknown field"},
      {"resources missing", [](json::object& d) { d.erase("resources"); },
       "$.resources: required array is missing"},
      {"resources not an array", [](json::object& d) { d["resources"] = json::object(); },
       "$.resources: expected an array"},
      {"subscription not an object",
       [](json::object& d) { d["subscriptions"].as_array().emplace_back(3); },
       "$.subscriptions[1]: expected an object"},
      {"subscription id not a guid",
       [](json::object& d) { Obj(d, "subscriptions", 0)["subscriptionId"] = "sub1"; },
       "$.subscriptions[0].subscriptionId: 'sub1' is not a GUID"},
      {"subscription bad state",
       [](json::object& d) { Obj(d, "subscriptions", 0)["state"] = "On"; },
       "$.subscriptions[0].state: 'On' is not a subscription state"},
      {"duplicate subscription",
       [](json::object& d) {
         d["subscriptions"].as_array().emplace_back(d["subscriptions"].as_array()[0]);
       },
       "$.subscriptions[1].subscriptionId: duplicate subscription"},
      {"subscription tags not strings",
       [](json::object& d) {
         Obj(d, "subscriptions", 0)["tags"] = json::object{{"a", 1}};
       },
       "$.subscriptions[0].tags.a: expected a string"},
      {"rg id malformed",
       [](json::object& d) { Obj(d, "resource_groups", 0)["id"] = "/subscriptions/x/rg1"; },
       "$.resource_groups[0].id: '/subscriptions/x/rg1' is not a well-formed ARM id"},
      {"rg id is a resource id",
       [](json::object& d) { Obj(d, "resource_groups", 0)["id"] = kVnet; },
       "$.resource_groups[0].id: '" + std::string(kVnet) + "' is not a resource group id"},
      {"rg in unknown subscription",
       [](json::object& d) {
         Obj(d, "resource_groups", 0)["id"] =
             "/subscriptions/99999999-2222-3333-4444-555555555555/resourceGroups/rg1";
       },
       "$.resource_groups[0].id: subscription '99999999-2222-3333-4444-555555555555' is not in "
       "$.subscriptions"},
      {"rg name mismatch", [](json::object& d) { Obj(d, "resource_groups", 0)["name"] = "rg2"; },
       "$.resource_groups[0].name: 'rg2' does not match the name in the id"},
      {"rg location missing",
       [](json::object& d) { Obj(d, "resource_groups", 0).erase("location"); },
       "$.resource_groups[0].location: required string is missing"},
      {"rg duplicate ignoring case",
       [](json::object& d) {
         json::object rg = Obj(d, "resource_groups", 0);
         rg["id"] = "/subscriptions/11111111-2222-3333-4444-555555555555/RESOURCEGROUPS/RG1";
         rg["name"] = "RG1";
         d["resource_groups"].as_array().emplace_back(rg);
       },
       "$.resource_groups[1].id: duplicate resource group"},
      {"resource type not a string", [](json::object& d) { Obj(d, "resources", 1)["type"] = 12; },
       "$.resources[1].type: expected a string"},
      {"resource id missing", [](json::object& d) { Obj(d, "resources", 0).erase("id"); },
       "$.resources[0].id: required string is missing"},
      {"resource name empty", [](json::object& d) { Obj(d, "resources", 0)["name"] = ""; },
       "$.resources[0].name: must not be empty"},
      {"resource id without subscription",
       [](json::object& d) {
         Obj(d, "resources", 0)["id"] = "/resourceGroups/rg1/providers/Microsoft.Network/x/y";
       },
       "$.resources[0].id: '/resourceGroups/rg1/providers/Microsoft.Network/x/y' is not a "
       "well-formed ARM id"},
      {"resource id trailing slash",
       [](json::object& d) { Obj(d, "resources", 0)["id"] = std::string(kVnet) + "/"; },
       "$.resources[0].id: '" + std::string(kVnet) + "/' is not a well-formed ARM id"},
      {"resource type disagrees with id",
       [](json::object& d) { Obj(d, "resources", 0)["type"] = "Microsoft.Network/loadBalancers"; },
       "$.resources[0].type: 'Microsoft.Network/loadBalancers' does not match the type in the id"},
      {"resource name disagrees with id",
       [](json::object& d) { Obj(d, "resources", 0)["name"] = "vnet2"; },
       "$.resources[0].name: 'vnet2' does not match the id's last segment"},
      {"resource in unknown resource group",
       [](json::object& d) {
         json::object& r = Obj(d, "resources", 0);
         r["id"] =
             "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg9/"
             "providers/Microsoft.Network/virtualNetworks/vnet1";
       },
       "$.resources[0].id: resource group "
       "'/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg9' is not in "
       "$.resource_groups"},
      {"resource group listed as a resource",
       [](json::object& d) {
         d["resources"].as_array().emplace_back(
             json::object{{"id", kRg}, {"name", "rg1"}, {"type", "x"}});
       },
       "$.resources[4].id: '" + std::string(kRg) + "' is a subscription or resource group id"},
      {"duplicate resource ignoring case",
       [](json::object& d) {
         json::object r = Obj(d, "resources", 0);
         r["id"] = ToLower(kVnet);
         d["resources"].as_array().emplace_back(r);
       },
       "$.resources[4].id: duplicate resource"},
      {"child without parent",
       [](json::object& d) { d["resources"].as_array().erase(d["resources"].as_array().begin()); },
       "$.resources[0].id: parent resource '" + std::string(kVnet) + "' is not in $.resources"},
      {"extension on a missing resource",
       [](json::object& d) {
         json::object& r = Obj(d, "resources", 2);
         r["id"] = std::string(kRg) +
                   "/providers/Microsoft.Network/loadBalancers/lb/providers/"
                   "Microsoft.Insights/diagnosticSettings/d1";
       },
       "$.resources[2].id: extension resource's scope"},
      {"tags not an object", [](json::object& d) { Obj(d, "resources", 0)["tags"] = "a=b"; },
       "$.resources[0].tags: expected an object of strings"},
      {"properties not an object",
       [](json::object& d) { Obj(d, "resources", 0)["properties"] = json::array(); },
       "$.resources[0].properties: expected an object"},
      {"zones not an array", [](json::object& d) { Obj(d, "resources", 0)["zones"] = "1"; },
       "$.resources[0].zones: expected an array"},
      {"user without upn", [](json::object& d) { Obj(d, "users", 0).erase("userPrincipalName"); },
       "$.users[0].userPrincipalName: required string is missing"},
      {"user id not a guid", [](json::object& d) { Obj(d, "users", 0)["id"] = "adele"; },
       "$.users[0].id: 'adele' is not a GUID"},
      {"directory id shared by a user and a group",
       [](json::object& d) { Obj(d, "groups", 0)["id"] = "00000000-0000-0000-0000-000000000001"; },
       "$.groups[0].id: duplicate directory object id"},
      {"member not in the tenant",
       [](json::object& d) {
         Obj(d, "groups", 0)["members"].as_array().emplace_back(
             "00000000-0000-0000-0000-0000000000ff");
       },
       "$.groups[0].members[2]: '00000000-0000-0000-0000-0000000000ff' is not a user, group or "
       "service principal"},
      {"member not a string",
       [](json::object& d) { Obj(d, "groups", 0)["members"].as_array()[0] = 5; },
       "$.groups[0].members[0]: expected a string"},
      {"sp without app id", [](json::object& d) { Obj(d, "service_principals", 0).erase("appId"); },
       "$.service_principals[0].appId: required string is missing"},
  };
  for (const Case& c : kCases) {
    json::object doc = ValidDoc();
    c.mutate(doc);
    auto t = TenantFromJson(json::value(doc));
    ASSERT_FALSE(t.ok()) << c.what;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_NE(t.status().message().find(c.expected), std::string::npos)
        << c.what << "\n  got:      " << t.status().message() << "\n  expected: " << c.expected;
  }
  auto not_object = TenantFromJson(json::value(json::array()));
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.status().message().rfind("$: expected an object", 0), 0u);
}

TEST(TenantTest, JsonRoundTrip) {
  auto t = TenantFromJson(json::value(ValidDoc()));
  ASSERT_TRUE(t.ok());
  auto again = TenantFromJson(TenantToJson(*t));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *t);
  json::value moved = TenantToJson(*t);
  auto from_moved = TenantFromJson(std::move(moved));
  ASSERT_TRUE(from_moved.ok());
  EXPECT_EQ(*from_moved, *t);
}

TEST(TenantTest, FileRoundTripIsExactAndStable) {
  GeneratorOptions opt;
  opt.seed = 7;
  opt.subscriptions = 2;
  opt.resources = 400;
  opt.users = 30;
  opt.groups = 8;
  auto t = GenerateTenant(opt);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  TempDir dir;
  std::string a = dir.File("a.json"), b = dir.File("b.json");
  ASSERT_TRUE(DumpTenantFile(*t, a).ok());
  auto loaded = LoadTenantFile(a);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded, *t);
  ASSERT_TRUE(DumpTenantFile(*loaded, b).ok());
  EXPECT_EQ(ReadAll(a), ReadAll(b));
  // The dump is plain JSON equal to TenantToJson.
  auto parsed = ParseJson(ReadAll(a));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, TenantToJson(*t));
  EXPECT_FALSE(fs::exists(a + ".tmp"));
}

TEST(TenantTest, EmptyTenantRoundTrips) {
  Tenant t;
  t.tenant_id = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  TempDir dir;
  ASSERT_TRUE(DumpTenantFile(t, dir.File("t.json")).ok());
  auto loaded = LoadTenantFile(dir.File("t.json"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded, t);
}

TEST(TenantTest, LoadErrorsNameTheFile) {
  TempDir dir;
  auto missing = LoadTenantFile(dir.File("nope.json"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope.json"), std::string::npos);

  std::string bad = dir.File("bad.json");
  std::ofstream(bad) << "{\"tenant_id\": ";
  auto broken = LoadTenantFile(bad);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("bad.json"), std::string::npos);

  std::string invalid = dir.File("invalid.json");
  json::object doc = ValidDoc();
  Obj(doc, "resources", 1)["type"] = 12;
  std::ofstream(invalid) << json::serialize(doc);
  auto rejected = LoadTenantFile(invalid);
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find("invalid.json"), std::string::npos);
  EXPECT_NE(rejected.status().message().find("$.resources[1].type: expected a string"),
            std::string::npos)
      << rejected.status().message();
}

TEST(TenantTest, DumpToAMissingDirectoryFails) {
  Tenant t;
  t.tenant_id = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  TempDir dir;
  Status s = DumpTenantFile(t, dir.File("no/such/dir/t.json"));
  EXPECT_EQ(s.code(), StatusCode::kIoError);
}

// Real recorded ARM bodies and Graph objects, unchanged, form an acceptable tenant once their
// subscriptions and resource groups are listed.
TEST(TenantTest, AcceptsRealFixtureBodies) {
  const std::string dir = std::string(ATG_FIXTURES_DIR);
  const char* kArm[] = {"Microsoft_Network_virtualNetworks__get.json",
                        "Microsoft_Network_networkInterfaces__get.json",
                        "Microsoft_Network_networkSecurityGroups__get.json",
                        "Microsoft_Storage_storageAccounts__get.json",
                        "Microsoft_Sql_servers__get.json",
                        "Microsoft_KeyVault_vaults__get.json",
                        "Microsoft_Compute_virtualMachines__get.json"};
  json::object doc;
  doc["tenant_id"] = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  json::array subs, rgs, resources;
  std::set<std::string> seen_subs, seen_rgs;
  for (const char* f : kArm) {
    auto body = ReadJsonFile(dir + "/sdk-recordings/azure-libraries-for-net/" + f);
    ASSERT_TRUE(body.ok()) << body.status().ToString();
    std::string id(body->as_object().at("id").as_string());
    auto parsed = ParseArmId(id);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    std::string sub(parsed->subscription_id);
    if (seen_subs.insert(sub).second) {
      subs.emplace_back(json::object{
          {"subscriptionId", sub}, {"displayName", "sdk tests"}, {"state", "Enabled"}});
    }
    std::string rg_id =
        "/subscriptions/" + sub + "/resourceGroups/" + std::string(parsed->resource_group);
    if (seen_rgs.insert(ToLower(rg_id)).second) {
      rgs.emplace_back(json::object{
          {"id", rg_id}, {"name", std::string(parsed->resource_group)}, {"location", "westus"}});
    }
    resources.emplace_back(std::move(*body));
  }
  auto graph = [&](const char* file) {
    auto v = ReadJsonFile(dir + "/msgraph-docs/v1.0/" + file);
    EXPECT_TRUE(v.ok()) << file;
    json::object o = v->as_object();
    o.erase("@odata.context");
    return o;
  };
  json::object user = graph("user-get__example1.json");
  json::object group = graph("group-get__example1.json");
  json::object sp = graph("serviceprincipal-get__example1.json");
  group["members"] = json::array{user.at("id"), sp.at("id")};
  doc["subscriptions"] = std::move(subs);
  doc["resource_groups"] = std::move(rgs);
  doc["resources"] = std::move(resources);
  doc["users"] = json::array{user};
  doc["groups"] = json::array{group};
  doc["service_principals"] = json::array{sp};
  auto t = TenantFromJson(json::value(doc));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->resources.size(), std::size(kArm));

  // A recorded child resource without its parent is refused, naming the parent.
  auto db = ReadJsonFile(dir +
                         "/sdk-recordings/azure-libraries-for-net/"
                         "Microsoft_Sql_servers_databases__get.json");
  ASSERT_TRUE(db.ok());
  json::object with_db = doc;
  const std::string db_text(db->as_object().at("id").as_string());
  auto db_id = ParseArmId(db_text);
  ASSERT_TRUE(db_id.ok());
  with_db["resource_groups"].as_array().emplace_back(
      json::object{{"id", "/subscriptions/" + std::string(db_id->subscription_id) +
                              "/resourceGroups/" + std::string(db_id->resource_group)},
                   {"name", std::string(db_id->resource_group)},
                   {"location", "westus"}});
  with_db["resources"].as_array().emplace_back(*db);
  auto rejected = TenantFromJson(json::value(with_db));
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find("$.resources[7].id: parent resource"),
            std::string::npos)
      << rejected.status().message();
}

}  // namespace
TEST(TenantTest, ResourceIdsNameTheirSubscriptionByGuidWithoutATrailingSlash) {
  for (const std::string& id :
       {std::string("/subscriptions/abc/resourceGroups/rg1/providers/Microsoft.Network/"
                    "virtualNetworks/vnet2"),
        std::string(kVnet) + "2/",
        std::string("/providers/Microsoft.Network/virtualNetworks/vnet2")}) {
    json::object doc = ValidDoc();
    std::string name = "vnet2";
    doc["resources"].as_array().push_back(
        json::object{{"id", id}, {"name", name}, {"type", "Microsoft.Network/virtualNetworks"}});
    auto t = TenantFromJson(json::value(doc));
    ASSERT_FALSE(t.ok()) << id;
    EXPECT_NE(t.status().message().find("is not a well-formed ARM id"), std::string::npos)
        << t.status().message();
  }
}

}  // namespace atg::sim
