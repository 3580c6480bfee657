// A template deployed to the simulator is visible to the scanner: every resource group and
// resource the deployment created becomes a graph node, exactly as generated ones do.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/json.h"
#include "common/strings.h"
#include "scan/testing/sim_scan.h"
#include "sim/testing/round_trip.h"

namespace atg {
namespace {

constexpr const char* kSub = "33333333-3333-4333-8333-333333333333";

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

long Http(const std::string& method, const std::string& url, const std::string& header,
          const std::string& body, std::string* out) {
  CURL* curl = curl_easy_init();
  curl_slist* list = curl_slist_append(nullptr, header.c_str());
  list = curl_slist_append(list, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  EXPECT_EQ(curl_easy_perform(curl), CURLE_OK);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return status;
}

constexpr const char* kTemplate = R"JSON({
  "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2022-09-01", "name": "rg-data",
     "location": "northeurope", "tags": {"env": "dev"}},
    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "rg-data",
     "resourceGroup": "rg-data",
     "dependsOn": ["[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'rg-data')]"],
     "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "Inner"},
       "template": {"$schema": "x", "contentVersion": "1.0.0.0", "resources": [
         {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vnet-data",
          "location": "[resourceGroup().location]",
          "properties": {"addressSpace": {"addressPrefixes": ["10.9.0.0/16"]},
            "subnets": [{"name": "snet-a", "properties": {"addressPrefix": "10.9.1.0/24"}},
                        {"name": "snet-b", "properties": {"addressPrefix": "10.9.2.0/24"}}]}},
         {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01",
          "name": "stdata9", "location": "[resourceGroup().location]", "kind": "StorageV2",
          "sku": {"name": "Standard_LRS"}, "properties": {"minimumTlsVersion": "TLS1_2"}},
         {"type": "Microsoft.Storage/storageAccounts/providers/diagnosticSettings",
          "apiVersion": "2021-05-01-preview", "name": "stdata9/Microsoft.Insights/to-law",
          "dependsOn": ["[resourceId('Microsoft.Storage/storageAccounts', 'stdata9')]"],
          "properties": {"metrics": [{"category": "Transaction", "enabled": true}]}},
         {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01",
          "name": "[guid(resourceGroup().id, 'reader')]",
          "scope": "[format('Microsoft.Storage/storageAccounts/{0}', 'stdata9')]",
          "dependsOn": ["[resourceId('Microsoft.Storage/storageAccounts', 'stdata9')]"],
          "properties": {"roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')]",
                         "principalId": "bbbb0000-0000-4000-8000-000000000001",
                         "principalType": "Group"}}
       ]}}}
  ]
})JSON";

TEST(SimDeploymentScan, ScannerSeesDeployedResources) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  sim::Tenant t;
  t.tenant_id = "72f988bf-0000-4000-8000-0000000000bb";
  t.subscriptions.push_back(
      json::object{{"subscriptionId", kSub}, {"displayName", "Empty"}, {"state", "Enabled"}});
  sim::SimulatorOptions o;
  o.tenant = std::move(t);
  o.throttle = sim::ThrottleMode::kOff;
  scan::testing::SimScan s;
  ASSERT_TRUE(s.Start(std::move(o)).ok());

  const auto& c = s.simulator->credentials();
  std::string token_body;
  ASSERT_EQ(Http("POST", s.simulator->base_url() + "/" + c.tenant_id + "/oauth2/v2.0/token",
                 "Content-Type: application/x-www-form-urlencoded",
                 "grant_type=client_credentials&client_id=" + c.client_id +
                     "&client_secret=" + UrlEncode(c.client_secret) +
                     "&scope=" + UrlEncode("https://management.azure.com/.default"),
                 &token_body),
            200);
  std::string token(ParseJson(token_body)->at("access_token").as_string());
  json::object req{{"location", "northeurope"},
                   {"properties", json::object{{"mode", "Incremental"},
                                               {"template", ParseJson(kTemplate).value()}}}};
  std::string put;
  ASSERT_EQ(Http("PUT",
                 s.simulator->base_url() + "/subscriptions/" + kSub +
                     "/providers/Microsoft.Resources/deployments/replica?api-version=2022-09-01",
                 "Authorization: Bearer " + token, json::serialize(req), &put),
            201)
      << put;
  auto deployed = s.simulator->CurrentTenant();
  // vnet + 2 subnets + storage + diagnostic setting + role assignment.
  ASSERT_EQ(deployed->resources.size(), 6u) << put;

  scan::ScanOptions so = s.Options();
  so.diagnostic_settings = scan::DiagnosticSettingsScope::kAll;
  auto summary = s.Scan(so);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  std::set<std::string> stored = s.StoredKeys();
  for (const auto& g : deployed->resource_groups) {
    EXPECT_TRUE(stored.count(ToLower(g.as_object().at("id").as_string())));
  }
  for (const auto& r : deployed->resources) {
    std::string id = ToLower(r.as_object().at("id").as_string());
    EXPECT_TRUE(stored.count(id)) << "the scan missed " << id;
  }

  // And the round-trip comparison agrees with itself: the served tenant against its own
  // dump-equivalent finds no difference.
  auto diff = sim::testing::CompareTenants(*deployed, *deployed);
  EXPECT_TRUE(diff.ok()) << diff.ToString();
  EXPECT_EQ(diff.matched, 7u) << diff.ToString();  // 1 group + 6 resources
}

}  // namespace
}  // namespace atg
