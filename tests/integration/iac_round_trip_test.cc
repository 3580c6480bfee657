// The IaC round trip: a generated tenant is scanned, planned and emitted as an ARM template,
// the template is deployed to a second, empty simulator, and the two tenants are compared type
// by type and name by name.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/json.h"
#include "common/strings.h"
#include "iac/emit.h"
#include "iac/plan.h"
#include "scan/testing/sim_scan.h"
#include "sim/testing/round_trip.h"

namespace atg {
namespace {

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
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  EXPECT_EQ(curl_easy_perform(curl), CURLE_OK);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return status;
}

TEST(IacRoundTrip, ArmTemplateRecreatesTheScannedTenant) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  // Source: a generated tenant, scanned into a graph.
  sim::SimulatorOptions so;
  so.generator.seed = 5;
  so.generator.subscriptions = 1;
  so.generator.resources = 150;
  so.generator.users = 10;
  so.generator.groups = 3;
  so.throttle = sim::ThrottleMode::kOff;
  scan::testing::SimScan source;
  ASSERT_TRUE(source.Start(std::move(so)).ok());
  scan::ScanOptions scan_options = source.Options();
  scan_options.diagnostic_settings = scan::DiagnosticSettingsScope::kAll;
  auto summary = source.Scan(scan_options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();

  // Target: an empty simulator: one subscription, nothing in it. (A generated tenant with
  // --resources 0 still has its monitoring and Network Watcher groups, whose locations would
  // clash with the source's.)
  sim::Tenant empty;
  empty.tenant_id = "72f988bf-0000-4000-8000-0000000000cc";
  empty.subscriptions.push_back(
      json::object{{"subscriptionId", "44444444-4444-4444-8444-444444444444"},
                   {"displayName", "Replica"},
                   {"state", "Enabled"}});
  sim::SimulatorOptions to;
  to.tenant = std::move(empty);
  to.throttle = sim::ThrottleMode::kOff;
  auto target = sim::Simulator::Create(std::move(to));
  ASSERT_TRUE(target.ok());
  ASSERT_TRUE((*target)->Start().ok());
  std::string target_sub(
      (*target)->tenant().subscriptions[0].as_object().at("subscriptionId").as_string());

  iac::PlanOptions po;
  po.target_subscription = target_sub;
  auto plan = iac::BuildPlan(*source.store, po);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto emitted = iac::EmitArm(*plan);
  ASSERT_TRUE(emitted.ok()) << emitted.status().ToString();
  json::value tmpl;
  for (const auto& f : emitted->files) {
    if (f.path == "azuredeploy.json") tmpl = ParseJson(f.content).value();
  }
  ASSERT_TRUE(tmpl.is_object());

  // Every input gets a value, as an operator would provide.
  json::object params;
  if (const json::object* decl = FindObject(&tmpl.as_object(), "parameters")) {
    int n = 0;
    for (const auto& kv : *decl) {
      bool secure =
          EqualsIgnoreCase(FindString(kv.value().if_object(), "type").value_or(""), "securestring");
      char guid[40];
      std::snprintf(guid, sizeof guid, "0000aaaa-0000-4000-8000-%012d", ++n);
      params[kv.key()] =
          json::object{{"value", secure ? "Rt-" + std::string(kv.key()) + "-9!" : guid}};
    }
  }

  const auto& c = (*target)->credentials();
  std::string token_body;
  ASSERT_EQ(Http("POST", (*target)->base_url() + "/" + c.tenant_id + "/oauth2/v2.0/token",
                 "Content-Type: application/x-www-form-urlencoded",
                 "grant_type=client_credentials&client_id=" + c.client_id +
                     "&client_secret=" + UrlEncode(c.client_secret) +
                     "&scope=" + UrlEncode("https://management.azure.com/.default"),
                 &token_body),
            200);
  std::string token(ParseJson(token_body)->at("access_token").as_string());
  json::object req{
      {"location", "eastus"},
      {"properties",
       json::object{{"mode", "Incremental"}, {"template", tmpl}, {"parameters", params}}}};
  std::string put;
  long status = Http("PUT",
                     (*target)->base_url() + "/subscriptions/" + target_sub +
                         "/providers/Microsoft.Resources/deployments/round-trip"
                         "?api-version=2022-09-01",
                     "Authorization: Bearer " + token, json::serialize(req), &put);
  ASSERT_EQ(status, 201) << put.substr(0, 4000);
  auto dep = ParseJson(put).value();
  ASSERT_EQ(
      FindString(FindObject(&dep.as_object(), "properties"), "provisioningState").value_or(""),
      "Succeeded")
      << put.substr(0, 4000);

  sim::testing::RoundTripOptions ro;
  for (const auto& s : plan->skipped) ro.ignore_keys.insert(sim::testing::RoundTripKey(s.key));
  auto diff =
      sim::testing::CompareTenants(source.simulator->tenant(), *(*target)->CurrentTenant(), ro);
  std::printf("round trip: %s", diff.ToString(20).c_str());
  EXPECT_GT(diff.matched, 100u) << diff.ToString();
  EXPECT_TRUE(diff.ok()) << diff.ToString();
  // Secrets given as parameters never come back from the target.
  for (const auto& kv : params) {
    std::string v(kv.value().as_object().at("value").as_string());
    if (v.starts_with("Rt-")) EXPECT_EQ(put.find(v), std::string::npos);
  }
}

}  // namespace
}  // namespace atg
