// Template deployments through the simulator's ARM endpoint over real HTTP on loopback: the
// resources a template names appear in ARM GET/list and Resource Graph, invalid templates are
// refused with ARM's error shape, and an Incremental re-deployment updates in place.
#include "sim/template_deployment.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/json.h"
#include "common/strings.h"
#include "sim/simulator.h"
#include "sim/testing/round_trip.h"

namespace atg::sim {
namespace {

constexpr const char* kTenant = "72f988bf-0000-4000-8000-0000000000aa";
constexpr const char* kSub = "11111111-1111-4111-8111-111111111111";
constexpr const char* kPrincipal = "aaaa0000-0000-4000-8000-000000000001";
constexpr const char* kPassword = "Pa55w0rd!never-echoed";

struct Reply {
  long status = 0;
  std::string body;
  json::object Json() const {
    auto v = ParseJson(body);
    return v.ok() && v->is_object() ? v->as_object() : json::object{};
  }
  std::string ErrorCode() const {
    auto j = Json();
    return std::string(FindString(FindObject(&j, "error"), "code").value_or(""));
  }
  std::string ErrorMessage() const {
    auto j = Json();
    return std::string(FindString(FindObject(&j, "error"), "message").value_or(""));
  }
};

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

Reply Http(const std::string& method, const std::string& url,
           const std::vector<std::string>& headers, const std::string& body) {
  Reply r;
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (!body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  EXPECT_EQ(curl_easy_perform(curl), CURLE_OK) << method << " " << url;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return r;
}

// One subscription, one existing resource group, nothing else: the deployments build the rest.
Tenant EmptyTenant() {
  Tenant t;
  t.tenant_id = kTenant;
  t.subscriptions.push_back(
      json::object{{"subscriptionId", kSub}, {"displayName", "Target"}, {"state", "Enabled"}});
  t.resource_groups.push_back(
      json::object{{"id", std::string("/subscriptions/") + kSub + "/resourceGroups/rg-existing"},
                   {"name", "rg-existing"},
                   {"location", "eastus"}});
  return t;
}

// A subscription-scope template: two resource groups, a nested deployment per group (a VNet with
// a nested subnet, a NIC depending on the subnet and a diagnostic setting on the VNet; a VM
// whose password comes from a securestring parameter and a role assignment), and a role
// assignment at subscription scope.
constexpr const char* kTemplate = R"JSON({
  "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "westeurope"},
    "principalId": {"type": "string"},
    "adminPassword": {"type": "securestring"},
    "env": {"type": "string", "defaultValue": "test", "allowedValues": ["test", "prod"]}
  },
  "variables": {"netRg": "rg-net", "appRg": "[concat('rg-', 'app')]"},
  "resources": [
    {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2022-09-01",
     "name": "[variables('netRg')]", "location": "[parameters('location')]",
     "tags": {"env": "[parameters('env')]"}},
    {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2022-09-01",
     "name": "[variables('appRg')]", "location": "[parameters('location')]"},
    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "net",
     "resourceGroup": "[variables('netRg')]",
     "dependsOn": ["[subscriptionResourceId('Microsoft.Resources/resourceGroups', variables('netRg'))]"],
     "properties": {
       "mode": "Incremental",
       "expressionEvaluationOptions": {"scope": "inner"},
       "parameters": {"location": {"value": "[parameters('location')]"},
                      "env": {"value": "[parameters('env')]"}},
       "template": {
         "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
         "contentVersion": "1.0.0.0",
         "parameters": {"location": {"type": "string"}, "env": {"type": "string"}},
         "resources": [
           {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-04-01",
            "name": "nic1", "location": "[parameters('location')]",
            "dependsOn": ["[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1', 'snet-app')]"],
            "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": {
              "privateIPAllocationMethod": "Dynamic",
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1', 'snet-app')]"}}}]}},
           {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01",
            "name": "vnet1", "location": "[parameters('location')]",
            "tags": {"env": "[parameters('env')]"},
            "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}},
            "resources": [
              {"type": "subnets", "apiVersion": "2023-04-01", "name": "snet-app",
               "dependsOn": ["vnet1"], "properties": {"addressPrefix": "10.1.1.0/24"}}]},
           {"type": "Microsoft.Insights/diagnosticSettings", "apiVersion": "2021-05-01-preview",
            "name": "send-to-law", "scope": "Microsoft.Network/virtualNetworks/vnet1",
            "dependsOn": ["[resourceId('Microsoft.Network/virtualNetworks', 'vnet1')]"],
            "properties": {"metrics": [{"category": "AllMetrics", "enabled": true}]}}
         ],
         "outputs": {"subnetId": {"type": "string",
           "value": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1', 'snet-app')]"}}
       }
     }},
    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "app",
     "resourceGroup": "[variables('appRg')]",
     "dependsOn": ["net", "[subscriptionResourceId('Microsoft.Resources/resourceGroups', variables('appRg'))]"],
     "properties": {
       "mode": "Incremental",
       "expressionEvaluationOptions": {"scope": "inner"},
       "parameters": {
         "principalId": {"value": "[parameters('principalId')]"},
         "adminPassword": {"value": "[parameters('adminPassword')]"},
         "nicId": {"value": "[resourceId(variables('netRg'), 'Microsoft.Network/networkInterfaces', 'nic1')]"}},
       "template": {
         "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
         "contentVersion": "1.0.0.0",
         "parameters": {"principalId": {"type": "string"},
                        "adminPassword": {"type": "securestring"},
                        "nicId": {"type": "string"}},
         "resources": [
           {"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-03-01", "name": "vm1",
            "location": "[resourceGroup().location]",
            "identity": {"type": "SystemAssigned"},
            "properties": {
              "hardwareProfile": {"vmSize": "Standard_B2s"},
              "osProfile": {"computerName": "vm1", "adminUsername": "azureuser",
                            "adminPassword": "[parameters('adminPassword')]"},
              "networkProfile": {"networkInterfaces": [{"id": "[parameters('nicId')]"}]}}},
           {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01",
            "name": "[guid(resourceGroup().id, parameters('principalId'), 'reader')]",
            "properties": {
              "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')]",
              "principalId": "[parameters('principalId')]", "principalType": "User"}}
         ]
       }
     }},
    {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01",
     "name": "[guid(subscription().id, 'sub-reader')]",
     "properties": {
       "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')]",
       "principalId": "[parameters('principalId')]"}}
  ],
  "outputs": {"netGroup": {"type": "string", "value": "[variables('netRg')]"}}
})JSON";

class TemplateDeploymentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    auto sim = Simulator::Create(MakeOptions());
    ASSERT_TRUE(sim.ok()) << sim.status().ToString();
    sim_ = std::move(sim.value());
    ASSERT_TRUE(sim_->Start().ok());
    const auto& c = sim_->credentials();
    Reply t = Http("POST", sim_->base_url() + "/" + c.tenant_id + "/oauth2/v2.0/token",
                   {"Content-Type: application/x-www-form-urlencoded"},
                   "grant_type=client_credentials&client_id=" + c.client_id +
                       "&client_secret=" + UrlEncode(c.client_secret) +
                       "&scope=" + UrlEncode("https://management.azure.com/.default"));
    ASSERT_EQ(t.status, 200) << t.body;
    token_ = std::string(t.Json().at("access_token").as_string());
  }

  virtual SimulatorOptions MakeOptions() {
    SimulatorOptions o;
    o.tenant = EmptyTenant();
    o.throttle = ThrottleMode::kOff;
    o.io_threads = 2;
    return o;
  }

  Reply Arm(const std::string& method, const std::string& path, const std::string& body = "") {
    std::string sep = path.find('?') == std::string::npos ? "?" : "&";
    return Http(method, sim_->base_url() + path + sep + "api-version=2022-09-01",
                {"Authorization: Bearer " + token_, "Content-Type: application/json"}, body);
  }

  static std::string SubPath() { return std::string("/subscriptions/") + kSub; }
  static std::string DeploymentPath(const std::string& name) {
    return SubPath() + "/providers/Microsoft.Resources/deployments/" + name;
  }
  static std::string Request(const std::string& tmpl, json::object params,
                             bool with_location = true) {
    json::object props{{"mode", "Incremental"},
                       {"template", ParseJson(tmpl).value()},
                       {"parameters", std::move(params)}};
    json::object body{{"properties", std::move(props)}};
    if (with_location) body["location"] = "westeurope";
    return json::serialize(body);
  }
  static json::object GoodParams() {
    return json::object{{"principalId", json::object{{"value", kPrincipal}}},
                        {"adminPassword", json::object{{"value", kPassword}}}};
  }
  // PUT of kTemplate with one edit applied to the parsed template.
  Reply PutEdited(const std::string& name, void (*edit)(json::object&),
                  json::object params = GoodParams()) {
    json::value t = ParseJson(kTemplate).value();
    edit(t.as_object());
    return Arm("PUT", DeploymentPath(name), Request(json::serialize(t), std::move(params)));
  }

  std::unique_ptr<Simulator> sim_;
  std::string token_;
};

std::string NetRg() { return std::string("/subscriptions/") + kSub + "/resourceGroups/rg-net"; }
std::string AppRg() { return std::string("/subscriptions/") + kSub + "/resourceGroups/rg-app"; }
std::string VnetId() { return NetRg() + "/providers/Microsoft.Network/virtualNetworks/vnet1"; }

TEST_F(TemplateDeploymentTest, SubscriptionTemplateCreatesEverythingItNames) {
  Reply put = Arm("PUT", DeploymentPath("main"), Request(kTemplate, GoodParams()));
  ASSERT_EQ(put.status, 201) << put.body;
  auto dep = put.Json();
  const json::object* props = FindObject(&dep, "properties");
  EXPECT_EQ(FindString(props, "provisioningState").value_or(""), "Succeeded") << put.body;
  std::set<std::string> outputs;
  for (const auto& o : *FindArray(props, "outputResources"))
    outputs.insert(ToLower(o.as_object().at("id").as_string()));
  for (const std::string& id :
       {NetRg(), AppRg(), VnetId(), VnetId() + "/subnets/snet-app",
        NetRg() + "/providers/Microsoft.Network/networkInterfaces/nic1",
        VnetId() + "/providers/Microsoft.Insights/diagnosticSettings/send-to-law",
        AppRg() + "/providers/Microsoft.Compute/virtualMachines/vm1"}) {
    EXPECT_TRUE(outputs.count(ToLower(id))) << id << " not in " << put.body;
  }
  EXPECT_EQ(outputs.size(), 9u) << put.body;  // + two role assignments
  EXPECT_EQ(FindString(FindObject(FindObject(props, "outputs"), "netGroup"), "value").value_or(""),
            "rg-net");
  // Secure parameters are never echoed.
  EXPECT_EQ(put.body.find(kPassword), std::string::npos);
  EXPECT_EQ(Find(FindObject(FindObject(props, "parameters"), "adminPassword"), "value"), nullptr);
  EXPECT_EQ(
      FindString(FindObject(FindObject(props, "parameters"), "location"), "value").value_or(""),
      "westeurope");

  // ARM GET and lists see the resources.
  Reply rg = Arm("GET", NetRg());
  ASSERT_EQ(rg.status, 200) << rg.body;
  auto rgj = rg.Json();
  EXPECT_EQ(FindString(FindObject(&rgj, "tags"), "env").value_or(""), "test");
  Reply vnet = Arm("GET", VnetId());
  ASSERT_EQ(vnet.status, 200) << vnet.body;
  auto vj = vnet.Json();
  const json::object* vp = FindObject(&vj, "properties");
  EXPECT_EQ(FindString(vp, "provisioningState").value_or(""), "Succeeded");
  EXPECT_TRUE(FindString(vp, "resourceGuid").has_value());
  ASSERT_NE(FindArray(vp, "subnets"), nullptr) << vnet.body;
  ASSERT_EQ(FindArray(vp, "subnets")->size(), 1u) << vnet.body;
  Reply subnets = Arm("GET", VnetId() + "/subnets");
  ASSERT_EQ(subnets.status, 200);
  auto sj = subnets.Json();
  ASSERT_EQ(FindArray(&sj, "value")->size(), 1u) << subnets.body;
  EXPECT_EQ(FindString(&FindArray(&sj, "value")->at(0).as_object(), "name").value_or(""),
            "snet-app");
  Reply list = Arm("GET", NetRg() + "/resources");
  ASSERT_EQ(list.status, 200);
  auto lj = list.Json();
  EXPECT_EQ(FindArray(&lj, "value")->size(), 2u) << list.body;  // vnet1, nic1
  Reply ds = Arm("GET", VnetId() + "/providers/Microsoft.Insights/diagnosticSettings");
  ASSERT_EQ(ds.status, 200);
  auto dj = ds.Json();
  EXPECT_EQ(FindArray(&dj, "value")->size(), 1u) << ds.body;
  Reply vm = Arm("GET", AppRg() + "/providers/Microsoft.Compute/virtualMachines/vm1");
  ASSERT_EQ(vm.status, 200) << vm.body;
  EXPECT_EQ(vm.body.find(kPassword), std::string::npos) << "a secret leaked into GET";
  auto vmj = vm.Json();
  EXPECT_EQ(FindString(FindObject(&vmj, "identity"), "tenantId").value_or(""), kTenant);
  EXPECT_EQ(FindString(&vmj, "location").value_or(""), "westeurope");  // resourceGroup().location
  Reply ras = Arm("GET", AppRg() + "/providers/Microsoft.Authorization/roleAssignments");
  ASSERT_EQ(ras.status, 200);
  size_t at_rg = 0;
  auto rj = ras.Json();
  for (const auto& v : *FindArray(&rj, "value")) {
    const json::object* p = FindObject(&v.as_object(), "properties");
    if (EqualsIgnoreCase(FindString(p, "scope").value_or(""), AppRg())) {
      ++at_rg;
      EXPECT_EQ(FindString(p, "principalId").value_or(""), kPrincipal);
    }
  }
  EXPECT_EQ(at_rg, 1u) << ras.body;

  // Resource Graph sees them too.
  Reply arg =
      Http("POST",
           sim_->base_url() + "/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01",
           {"Authorization: Bearer " + token_, "Content-Type: application/json"},
           json::serialize(json::object{
               {"subscriptions", json::array{kSub}},
               {"query", "Resources | where resourceGroup == 'rg-net' | project id"}}));
  ASSERT_EQ(arg.status, 200) << arg.body;
  auto aj = arg.Json();
  EXPECT_EQ(FindInt(&aj, "totalRecords").value_or(-1), 2) << arg.body;

  // The nested deployments are deployments of their own in their resource groups.
  Reply nested = Arm("GET", NetRg() + "/providers/Microsoft.Resources/deployments/net");
  ASSERT_EQ(nested.status, 200) << nested.body;
  Reply got = Arm("GET", DeploymentPath("main"));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body.find(kPassword), std::string::npos);
  Reply exported = Arm("POST", DeploymentPath("main") + "/exportTemplate");
  ASSERT_EQ(exported.status, 200);
  EXPECT_EQ(exported.body.find(kPassword), std::string::npos);
}

TEST_F(TemplateDeploymentTest, IncrementalRedeployUpdatesWithoutDuplicating) {
  ASSERT_EQ(Arm("PUT", DeploymentPath("main"), Request(kTemplate, GoodParams())).status, 201);
  size_t before = sim_->CurrentTenant()->resources.size();
  size_t groups = sim_->CurrentTenant()->resource_groups.size();
  json::object params = GoodParams();
  params["env"] = json::object{{"value", "prod"}};
  Reply again = Arm("PUT", DeploymentPath("main"), Request(kTemplate, params));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(sim_->CurrentTenant()->resources.size(), before);
  EXPECT_EQ(sim_->CurrentTenant()->resource_groups.size(), groups);
  auto vnet = Arm("GET", VnetId()).Json();
  EXPECT_EQ(FindString(FindObject(&vnet, "tags"), "env").value_or(""), "prod");
  auto rg = Arm("GET", NetRg()).Json();
  EXPECT_EQ(FindString(FindObject(&rg, "tags"), "env").value_or(""), "prod");
  // The initial tenant stays as created.
  EXPECT_TRUE(sim_->tenant().resources.empty());
}

TEST_F(TemplateDeploymentTest, ResourceGroupScopeDeployment) {
  const char* tmpl = R"({"$schema": "x", "contentVersion": "1.0.0.0",
    "resources": [
      {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01",
       "name": "[concat('st', 'data01')]", "location": "[resourceGroup().location]",
       "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "properties": {}},
      {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01",
       "name": "nsg1", "location": "eastus",
       "properties": {"securityRules": [{"name": "allow-ssh", "properties": {
         "access": "Allow", "direction": "Inbound", "priority": 100, "protocol": "Tcp"}}]}}]})";
  std::string rg = SubPath() + "/resourcegroups/rg-existing";
  Reply put = Arm("PUT", rg + "/providers/Microsoft.Resources/deployments/d1",
                  Request(tmpl, {}, /*with_location=*/false));
  ASSERT_EQ(put.status, 201) << put.body;
  Reply st = Arm("GET", rg + "/providers/Microsoft.Storage/storageAccounts/stdata01");
  ASSERT_EQ(st.status, 200) << st.body;
  auto sj = st.Json();
  EXPECT_EQ(FindString(&sj, "location").value_or(""), "eastus");
  EXPECT_EQ(FindString(&sj, "kind").value_or(""), "StorageV2");
  // Inline security rules become child resources, as in Azure.
  Reply rules =
      Arm("GET", rg + "/providers/Microsoft.Network/networkSecurityGroups/nsg1/securityRules");
  ASSERT_EQ(rules.status, 200) << rules.body;
  auto rj = rules.Json();
  EXPECT_EQ(FindArray(&rj, "value")->size(), 1u) << rules.body;
}

void ExpectInvalid(const Reply& r, const std::string& code, const std::string& needle) {
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.ErrorCode(), code) << r.body;
  EXPECT_NE(r.ErrorMessage().find(needle), std::string::npos)
      << "message should mention '" << needle << "': " << r.body;
}

TEST_F(TemplateDeploymentTest, InvalidTemplatesAreRefusedWithArmErrors) {
  ExpectInvalid(PutEdited("bad1",
                          [](json::object& t) {
                            t["resources"].as_array()[0].as_object()["name"] =
                                "[reference('x').name]";
                          }),
                "InvalidTemplate", "'reference'");
  ExpectInvalid(PutEdited("bad2",
                          [](json::object& t) {
                            t["resources"].as_array()[0].as_object()["name"] =
                                "[variables('nope')]";
                          }),
                "InvalidTemplate", "resources[0].name");
  ExpectInvalid(PutEdited(
                    "bad3", [](json::object&) {}, json::object{}),
                "InvalidTemplate", "'principalId'");
  ExpectInvalid(PutEdited("bad4",
                          [](json::object& t) {
                            t["resources"].as_array()[3].as_object()["dependsOn"] = json::array{
                                "[resourceId('Microsoft.Network/virtualNetworks', "
                                "'missing')]"};
                          }),
                "InvalidTemplate", "virtualNetworks/missing' is not defined in the template");
  ExpectInvalid(PutEdited("bad5",
                          [](json::object& t) {
                            t["resources"].as_array()[2].as_object()["dependsOn"] =
                                json::array{"app"};
                          }),
                "InvalidTemplate", "Circular dependency");
  ExpectInvalid(PutEdited("bad6",
                          [](json::object& t) {
                            t["parameters"].as_object()["env"].as_object()["defaultValue"] =
                                "staging";
                          }),
                "InvalidTemplate", "allowedValues");
  json::object extra = GoodParams();
  extra["unknown"] = json::object{{"value", 1}};
  ExpectInvalid(PutEdited(
                    "bad7", [](json::object&) {}, extra),
                "InvalidTemplate", "'unknown'");
  json::object bare = GoodParams();
  bare["principalId"] = kPrincipal;  // not {"value": ...}
  ExpectInvalid(PutEdited(
                    "bad8", [](json::object&) {}, bare),
                "InvalidRequestContent", "'principalId'");
  ExpectInvalid(Arm("PUT", DeploymentPath("bad9"), Request(kTemplate, GoodParams(), false)),
                "InvalidDeploymentLocation", "location");
  ExpectInvalid(Arm("PUT", DeploymentPath("bad10"), "{not json"), "InvalidRequestContent", "");
  // Nothing was created or recorded by any of them.
  EXPECT_TRUE(sim_->CurrentTenant()->resources.empty());
  EXPECT_EQ(sim_->CurrentTenant()->resource_groups.size(), 1u);
  EXPECT_EQ(Arm("GET", DeploymentPath("bad1")).status, 404);
}

TEST_F(TemplateDeploymentTest, MissingResourceGroupFailsTheDeploymentAndChangesNothing) {
  Reply put = PutEdited("nogroup", [](json::object& t) {
    // Drop the app group: the "app" nested deployment has nowhere to go.
    auto& res = t["resources"].as_array();
    res.erase(res.begin() + 1);
    res[2].as_object()["dependsOn"] = json::array{"net"};
  });
  ASSERT_EQ(put.status, 201) << put.body;
  auto j = put.Json();
  EXPECT_EQ(FindString(FindObject(&j, "properties"), "provisioningState").value_or(""), "Failed");
  EXPECT_NE(put.body.find("ResourceGroupNotFound"), std::string::npos) << put.body;
  Reply got = Arm("GET", DeploymentPath("nogroup"));
  ASSERT_EQ(got.status, 200);
  EXPECT_NE(got.body.find("\"Failed\""), std::string::npos);
  EXPECT_TRUE(sim_->CurrentTenant()->resources.empty());
  EXPECT_EQ(Arm("GET", NetRg()).status, 404);
}

// Readers keep being answered, from one consistent version each, while deployments swap the
// served tenant under them.
TEST_F(TemplateDeploymentTest, ConcurrentReadersDuringDeployments) {
  std::atomic<bool> done{false};
  std::atomic<int> bad{0}, reads{0};
  std::thread reader([&] {
    while (!done.load()) {
      Reply r = Arm("GET", SubPath() + "/resources");
      auto j = r.Json();
      if (r.status != 200 || !FindArray(&j, "value")) ++bad;
      ++reads;
    }
  });
  for (int i = 0; i < 5; ++i) {
    std::string tmpl =
        R"({"$schema": "x", "contentVersion": "1.0.0.0", "resources": [
      {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01",
       "name": "[concat('stconc', ')" +
        std::to_string(i) + R"(')]", "location": "eastus", "kind": "StorageV2"}]})";
    Reply put = Arm("PUT",
                    SubPath() +
                        "/resourceGroups/rg-existing/providers/"
                        "Microsoft.Resources/deployments/c" +
                        std::to_string(i),
                    Request(tmpl, {}, false));
    EXPECT_EQ(put.status, 201) << put.body;
  }
  while (reads.load() < 5) std::this_thread::yield();
  done = true;
  reader.join();
  EXPECT_EQ(bad.load(), 0);
  auto list = Arm("GET", SubPath() + "/resources").Json();
  EXPECT_EQ(FindArray(&list, "value")->size(), 5u);
}

// `atg simulate --subscriptions 1 --resources 0` is an empty target for a round trip.
class GeneratedEmptyTargetTest : public TemplateDeploymentTest {
 protected:
  SimulatorOptions MakeOptions() override {
    SimulatorOptions o;
    o.generator.subscriptions = 1;
    o.generator.resources = 0;
    o.generator.users = 0;
    o.generator.groups = 0;
    o.throttle = ThrottleMode::kOff;
    return o;
  }
};

TEST_F(GeneratedEmptyTargetTest, AcceptsASubscriptionDeployment) {
  ASSERT_TRUE(sim_->tenant().resources.empty());
  std::string sub(sim_->tenant().subscriptions[0].as_object().at("subscriptionId").as_string());
  const char* tmpl = R"({"$schema": "x", "contentVersion": "1.0.0.0", "resources": [
    {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2022-09-01", "name": "rg-rt",
     "location": "eastus"},
    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "rg-rt",
     "resourceGroup": "rg-rt",
     "dependsOn": ["[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'rg-rt')]"],
     "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "Inner"},
       "template": {"$schema": "x", "contentVersion": "1.0.0.0", "resources": [
         {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2023-01-31",
          "name": "id-app", "location": "eastus"},
         {"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "app-rt",
          "location": "eastus",
          "dependsOn": ["[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-app')]"],
          "identity": {"type": "UserAssigned", "userAssignedIdentities": {
            "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-app')]": {}}}}
       ]}}}]})";
  Reply put = Arm("PUT", "/subscriptions/" + sub + "/providers/Microsoft.Resources/deployments/rt",
                  Request(tmpl, {}));
  ASSERT_EQ(put.status, 201) << put.body;
  Reply site = Arm("GET", "/subscriptions/" + sub +
                              "/resourceGroups/rg-rt/providers/Microsoft.Web/sites/app-rt");
  ASSERT_EQ(site.status, 200) << site.body;
  // The identity map is keyed by the evaluated id, with the principal Azure would assign.
  std::string key = "/subscriptions/" + sub +
                    "/resourceGroups/rg-rt/providers/Microsoft.ManagedIdentity/"
                    "userAssignedIdentities/id-app";
  auto j = site.Json();
  const json::object* uai = FindObject(FindObject(&j, "identity"), "userAssignedIdentities");
  ASSERT_NE(uai, nullptr) << site.body;
  auto principal = FindString(FindObject(uai, key), "principalId");
  ASSERT_TRUE(principal.has_value()) << site.body;
  auto identity = Arm("GET", key).Json();
  EXPECT_EQ(FindString(FindObject(&identity, "properties"), "principalId").value_or(""),
            *principal);
}

// The round-trip comparison on a hand-written template that replicates a tiny tenant.
TEST_F(TemplateDeploymentTest, RoundTripOfATinyTenant) {
  Tenant source = EmptyTenant();
  const std::string other_sub = "22222222-2222-4222-8222-222222222222";
  source.subscriptions[0].as_object()["subscriptionId"] = other_sub;
  source.resource_groups.clear();
  std::string rg = "/subscriptions/" + other_sub + "/resourceGroups/rg-web";
  source.resource_groups.push_back(
      json::object{{"id", rg}, {"name", "rg-web"}, {"location", "northeurope"}});
  source.resources.push_back(json::object{{"id", rg + "/providers/Microsoft.Web/serverfarms/plan1"},
                                          {"name", "plan1"},
                                          {"type", "Microsoft.Web/serverfarms"},
                                          {"location", "northeurope"},
                                          {"sku", json::object{{"name", "P1v3"}}}});
  source.resources.push_back(json::object{{"id", rg + "/providers/Microsoft.Web/sites/app1"},
                                          {"name", "app1"},
                                          {"type", "Microsoft.Web/sites"},
                                          {"location", "northeurope"},
                                          {"kind", "app"},
                                          {"tags", json::object{{"team", "web"}}}});
  const char* tmpl = R"({"$schema": "x", "contentVersion": "1.0.0.0", "resources": [
    {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2022-09-01", "name": "rg-web",
     "location": "northeurope"},
    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "rg-web",
     "resourceGroup": "rg-web", "dependsOn": ["Microsoft.Resources/resourceGroups/rg-web"],
     "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
       "template": {"$schema": "x", "contentVersion": "1.0.0.0", "resources": [
         {"type": "Microsoft.Web/serverfarms", "apiVersion": "2022-09-01", "name": "plan1",
          "location": "[resourceGroup().location]", "sku": {"name": "P1v3"}},
         {"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "app1",
          "location": "[resourceGroup().location]", "kind": "app", "tags": {"team": "WEB"},
          "dependsOn": ["[resourceId('Microsoft.Web/serverfarms', 'plan1')]"],
          "properties": {"serverFarmId": "[resourceId('Microsoft.Web/serverfarms', 'plan1')]"}}]}}}]})";
  Reply put = Arm("PUT", DeploymentPath("rt"), Request(tmpl, {}));
  ASSERT_EQ(put.status, 201) << put.body;
  testing::RoundTripOptions o;
  o.ignore_resource_groups = {"rg-existing"};
  auto diff = testing::CompareTenants(source, *sim_->CurrentTenant(), o);
  // Everything matches by type and name; the one deliberate difference is the tag's value.
  EXPECT_EQ(diff.matched, 3u) << diff.ToString();
  EXPECT_TRUE(diff.missing.empty()) << diff.ToString();
  EXPECT_TRUE(diff.extra.empty()) << diff.ToString();
  ASSERT_EQ(diff.mismatched.size(), 1u) << diff.ToString();
  EXPECT_NE(diff.mismatched[0].find("tags"), std::string::npos) << diff.ToString();
  EXPECT_FALSE(diff.ok());
  // A resource the template forgot is reported as missing, by type and name.
  source.resources.push_back(json::object{{"id", rg + "/providers/Microsoft.Web/sites/app2"},
                                          {"name", "app2"},
                                          {"type", "Microsoft.Web/sites"},
                                          {"location", "northeurope"}});
  diff = testing::CompareTenants(source, *sim_->CurrentTenant(), o);
  ASSERT_EQ(diff.missing.size(), 1u) << diff.ToString();
  EXPECT_NE(diff.ToString().find("microsoft.web/sites/app2"), std::string::npos) << diff.ToString();
}

}  // namespace
}  // namespace atg::sim
