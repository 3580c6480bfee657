// The read-only and secret rules, and symbols, on real response bodies.
#include <gtest/gtest.h>

#include "common/json.h"
#include "iac/readonly_rules.h"
#include "iac/secret_rules.h"
#include "iac/symbols.h"

namespace atg::iac {
namespace {

json::object Body(std::string_view text) { return ParseJson(text).value().as_object(); }

TEST(ReadOnlyRulesTest, RemovesGlobalAndPerTypePaths) {
  auto b = Body(R"({"identity": {"type": "SystemAssigned", "principalId": "p", "tenantId": "t"},
    "properties": {"provisioningState": "Succeeded", "vmId": "v", "hardwareProfile": {"vmSize": "B2s"},
      "networkProfile": {"networkInterfaces": [{"id": "/x", "properties": {"provisioningState": "S"}}]}},
    "etag": "W/1"})");
  RemoveReadOnly("microsoft.compute/virtualmachines", &b);
  EXPECT_EQ(json::serialize(b), json::serialize(Body(R"({"identity": {"type": "SystemAssigned"},
    "properties": {"hardwareProfile": {"vmSize": "B2s"},
      "networkProfile": {"networkInterfaces": [{"id": "/x", "properties": {}}]}}})")));
}

TEST(ReadOnlyRulesTest, StorageEndpointsAndNicBackReferences) {
  auto s = Body(R"({"properties": {"primaryEndpoints": {"blob": "b"}, "secondaryEndpoints": {},
    "accessTier": "Hot", "creationTime": "2024"}})");
  RemoveReadOnly("microsoft.storage/storageaccounts", &s);
  EXPECT_EQ(json::serialize(s), R"({"properties":{"accessTier":"Hot"}})");
  auto nic = Body(R"({"properties": {"macAddress": "00", "virtualMachine": {"id": "/vm"},
    "ipConfigurations": []}})");
  RemoveReadOnly("microsoft.network/networkinterfaces", &nic);
  EXPECT_EQ(json::serialize(nic), R"({"properties":{"ipConfigurations":[]}})");
  // The same path on another type stays.
  auto other = Body(R"({"properties": {"macAddress": "00"}})");
  RemoveReadOnly("microsoft.test/things", &other);
  EXPECT_EQ(json::serialize(other), R"({"properties":{"macAddress":"00"}})");
}

TEST(SecretRulesTest, SecretsLeaveTheBodyAndRequiredOnesAreAdded) {
  auto b = Body(R"({"properties": {"osProfile": {"adminUsername": "azureuser",
    "linuxConfiguration": {"disablePasswordAuthentication": false}},
    "settings": [{"connectionString": "Server=x;Password=y"}, {"connectionString": ""}]}})");
  auto slots = ExtractSecrets("microsoft.compute/virtualmachines", &b);
  ASSERT_EQ(slots.size(), 2u);
  EXPECT_EQ(slots[0].path, "properties.osProfile.adminPassword");
  EXPECT_EQ(slots[1].path, "properties.settings[0].connectionString");
  EXPECT_EQ(json::serialize(b).find("Password=y"), std::string::npos);
  // SSH-only Linux VMs need no password.
  auto ssh = Body(R"({"properties": {"osProfile": {"adminUsername": "u",
    "linuxConfiguration": {"disablePasswordAuthentication": true}}}})");
  EXPECT_TRUE(ExtractSecrets("microsoft.compute/virtualmachines", &ssh).empty());
  auto sql = Body(R"({"properties": {"administratorLogin": "sqladmin"}})");
  auto sql_slots = ExtractSecrets("microsoft.sql/servers", &sql);
  ASSERT_EQ(sql_slots.size(), 1u);
  EXPECT_EQ(sql_slots[0].field, "administratorLoginPassword");
}

TEST(SymbolsTest, ShortNamesAndSnakeCase) {
  EXPECT_EQ(SnakeCase("publicIPAddresses"), "public_ip_addresses");
  EXPECT_EQ(SnakeCase("--My.Web  App--"), "my_web_app");
  EXPECT_EQ(ShortTypeName("Microsoft.Network/publicIPAddresses"), "public_ip_address");
  EXPECT_EQ(ShortTypeName("Microsoft.Network/virtualNetworks/subnets"), "subnet");
  EXPECT_EQ(ShortTypeName("Microsoft.ContainerRegistry/registries"), "registry");
  EXPECT_EQ(ShortTypeName("Microsoft.Cache/redis"), "redis");
  EXPECT_EQ(ShortTypeName("Microsoft.Resources/resourceGroups"), "rg");
}

TEST(SymbolsTest, CollisionsAddTheGroupThenAHash) {
  Plan p;
  auto add = [&](std::string key, std::string rg, std::string name) {
    PlannedResource r;
    r.key = std::move(key);
    r.type = "Microsoft.Storage/storageAccounts";
    r.resource_group = std::move(rg);
    r.name = r.arm_name = std::move(name);
    p.resources.push_back(std::move(r));
  };
  add("/a", "rg-one", "data");
  add("/b", "rg-two", "data");
  add("/c", "rg-two", "Data");
  add("/d", "rg-two", "logs");
  AssignSymbols(&p);
  EXPECT_EQ(p.resources[0].symbol, "storage_account_data_rg_one");
  EXPECT_EQ(p.resources[1].symbol.rfind("storage_account_data_rg_two_", 0), 0u);
  EXPECT_NE(p.resources[1].symbol, p.resources[2].symbol);
  EXPECT_EQ(p.resources[3].symbol, "storage_account_logs");
}

}  // namespace
}  // namespace atg::iac
