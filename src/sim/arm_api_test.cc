#include "sim/arm_api.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "common/strings.h"
#include "sim/api_testing.h"

namespace atg::sim {
namespace {

using namespace api_testing;  // NOLINT: shared test fixtures

constexpr const char* kV = "api-version=2021-04-01";

class ArmApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tenant_ = new Tenant(MakeTestTenant());
    index_ = new TenantIndex(*tenant_);
  }
  static void TearDownTestSuite() {
    delete index_;
    delete tenant_;
  }
  ApiOptions Options() const {
    ApiOptions o;
    o.arm_base_url = kArmBase;
    return o;
  }
  net::HttpResponse Get(const std::string& target, const ArmApi* api = nullptr) {
    const ArmApi& a = api != nullptr ? *api : api_;
    return a.Handle(MakeRequest("GET", target), caller_);
  }
  // Follows nextLink to the end; returns every item's id and checks each page's size.
  std::vector<std::string> Walk(std::string target, size_t max_page = ArmApi::kMaxPageSize,
                                int* pages = nullptr) {
    std::vector<std::string> ids;
    int n = 0;
    while (true) {
      auto r = Get(target);
      EXPECT_EQ(r.status, 200) << target << ": " << r.body;
      if (r.status != 200) break;
      auto body = Body(r);
      const auto* value = FindArray(body.if_object(), "value");
      EXPECT_NE(value, nullptr);
      if (value == nullptr) break;
      EXPECT_LE(value->size(), max_page);
      for (const auto& v : *value) ids.emplace_back(*FindString(v.if_object(), "id"));
      ++n;
      auto next = FindString(body.if_object(), "nextLink");
      if (!next) break;
      EXPECT_TRUE(next->starts_with(kArmBase)) << *next;
      target = TargetOf(*next, kArmBase);
      if (n > 100) {
        ADD_FAILURE() << "too many pages";
        break;
      }
    }
    if (pages != nullptr) *pages = n;
    return ids;
  }

  static Tenant* tenant_;
  static TenantIndex* index_;
  ArmApi api_{*index_, Options()};
  CallerContext caller_{"99999999-0000-4000-8000-000000000009", kTenantId};
};
Tenant* ArmApiTest::tenant_ = nullptr;
TenantIndex* ArmApiTest::index_ = nullptr;

TEST_F(ArmApiTest, Claims) {
  EXPECT_TRUE(ArmApi::Claims("/subscriptions"));
  EXPECT_TRUE(ArmApi::Claims("/SUBSCRIPTIONS/x/resourceGroups"));
  EXPECT_TRUE(ArmApi::Claims("/providers/Microsoft.Compute"));
  EXPECT_TRUE(ArmApi::Claims("/tenants"));
  EXPECT_FALSE(ArmApi::Claims("/providers/Microsoft.ResourceGraph/resources"));
  EXPECT_FALSE(ArmApi::Claims("/v1.0/users"));
  EXPECT_FALSE(ArmApi::Claims("/subscriptionsX"));
  EXPECT_FALSE(ArmApi::Claims("/metadata/identity/oauth2/token"));
}

TEST_F(ArmApiTest, ApiVersionIsRequired) {
  auto r = Get("/subscriptions");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "MissingApiVersionParameter");
  r = Get(VmId() + "?api-version=");
  EXPECT_EQ(ErrorCode(r), "MissingApiVersionParameter");
  r = Get(VmId() + "?api-version=latest");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "InvalidApiVersionParameter");
  EXPECT_EQ(Get(VmId() + "?api-version=2024-07-01-preview").status, 200);
}

TEST_F(ArmApiTest, SubscriptionsAndTenants) {
  auto ids = Walk(std::string("/subscriptions?") + kV);
  EXPECT_EQ(ids, (std::vector<std::string>{Sub(kSub1), Sub(kSub2), Sub(kSub3)}));
  auto r = Get(Sub(kSub1) + "?" + kV);
  ASSERT_EQ(r.status, 200);
  auto body = Body(r);
  EXPECT_EQ(*FindString(body.if_object(), "displayName"), "Production");
  EXPECT_EQ(*FindString(body.if_object(), "tenantId"), kTenantId);
  EXPECT_EQ(*FindString(body.if_object(), "state"), "Enabled");
  r = Get("/subscriptions/44444444-4444-4444-8444-444444444444?" + std::string(kV));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "SubscriptionNotFound");
  EXPECT_NE(ErrorMessage(r).find("44444444-4444-4444-8444-444444444444"), std::string::npos);
  r = Get(Sub(kSub1) + "/locations?" + kV);
  ASSERT_EQ(r.status, 200);
  std::set<std::string> names;
  auto locations = Body(r);
  for (const auto& l : *FindArray(locations.if_object(), "value")) {
    names.insert(std::string(*FindString(l.if_object(), "name")));
  }
  EXPECT_EQ(names, (std::set<std::string>{"eastus", "westeurope", "westus"}));
  r = Get(std::string("/tenants?") + kV);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(kTenantId), std::string::npos);
}

TEST_F(ArmApiTest, ResourceGroups) {
  auto ids = Walk(Sub(kSub1) + "/resourcegroups?" + kV);
  EXPECT_EQ(ids, (std::vector<std::string>{Rg(kSub1, "RG-Net"), Rg(kSub1, "rg-app")}));
  EXPECT_TRUE(Walk(Sub(kSub3) + "/resourceGroups?" + kV).empty());
  // Case-insensitive path, original casing in the answer.
  auto r = Get("/SUBSCRIPTIONS/" + ToLower(kSub1) + "/RESOURCEGROUPS/rg-NET?" + kV);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  EXPECT_EQ(*FindString(body.if_object(), "id"), Rg(kSub1, "RG-Net"));
  EXPECT_EQ(*FindString(body.if_object(), "type"), "Microsoft.Resources/resourceGroups");
  EXPECT_EQ(*FindString(FindObject(body.if_object(), "properties"), "provisioningState"),
            "Succeeded");
  r = Get(Rg(kSub1, "nope") + "?" + kV);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "ResourceGroupNotFound");
  EXPECT_NE(ErrorMessage(r).find("nope"), std::string::npos);
  r = Get(Rg(kSub1, "nope") + "/providers/Microsoft.Compute/virtualMachines/vm1?" + kV);
  EXPECT_EQ(ErrorCode(r), "ResourceGroupNotFound");
}

TEST_F(ArmApiTest, GetResourceReturnsTheTenantBodyExactly) {
  for (const auto& v : tenant_->resources) {
    const auto& o = v.get_object();
    std::string id(*FindString(&o, "id"));
    if (id == VnetId() || id == NsgId()) continue;  // children inlined, checked below
    auto r = Get(id + "?" + kV);
    ASSERT_EQ(r.status, 200) << id << ": " << r.body;
    EXPECT_EQ(Body(r), v) << id;
    if (id.find("st0001") != std::string::npos) break;  // enough storage accounts
  }
  // Any casing of the id.
  auto r = Get(ToLower(VmId()) + "?" + kV);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(*FindString(Body(r).if_object(), "id"), VmId());
}

TEST_F(ArmApiTest, ParentsCarryInlinedChildren) {
  auto r = Get(VnetId() + "?" + kV);
  ASSERT_EQ(r.status, 200);
  auto body = Body(r);
  const auto* subnets = FindArray(FindObject(body.if_object(), "properties"), "subnets");
  ASSERT_NE(subnets, nullptr);
  ASSERT_EQ(subnets->size(), 2u);
  EXPECT_EQ(*FindString(subnets->at(0).if_object(), "id"), VnetId() + "/subnets/sub-a");
  // The rest of the body is untouched.
  EXPECT_NE(FindObject(FindObject(body.if_object(), "properties"), "addressSpace"), nullptr);
  EXPECT_EQ(*FindString(FindObject(body.if_object(), "tags"), "env"), "prod");
  r = Get(NsgId() + "?" + kV);
  auto nsg = Body(r);
  const auto* rules = FindArray(FindObject(nsg.if_object(), "properties"), "securityRules");
  ASSERT_NE(rules, nullptr);
  EXPECT_EQ(rules->size(), 1u);
}

TEST_F(ArmApiTest, ChildAndExtensionResourcesByIdAndUnknownIds) {
  EXPECT_EQ(Get(VnetId() + "/subnets/sub-b?" + kV).status, 200);
  EXPECT_EQ(Get(NsgId() + "/providers/microsoft.insights/diagnosticSettings/ds1?" + kV).status,
            200);
  auto r = Get(VnetId() + "/subnets/nope?" + kV);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "ResourceNotFound");
  std::string missing = Rg(kSub1, "rg-app") + "/providers/Microsoft.Compute/virtualMachines/ghost";
  r = Get(missing + "?" + kV);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "ResourceNotFound");
  EXPECT_NE(ErrorMessage(r).find(missing), std::string::npos) << ErrorMessage(r);
  EXPECT_NE(ErrorMessage(r).find("Microsoft.Compute/virtualMachines/ghost"), std::string::npos);
}

TEST_F(ArmApiTest, GenericListPagesThroughEveryTopLevelResource) {
  // Ground truth: top-level resources of sub1 (no children, no extension resources).
  std::vector<std::string> expected = {VnetId(), NsgId(), VmId(), SqlId()};
  for (int i = 0; i < kStorageAccounts; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "st%05d", i);
    expected.push_back(Rg(kSub1, "rg-app") + "/providers/Microsoft.Storage/storageAccounts/" +
                       name);
  }
  int pages = 0;
  auto ids = Walk(Sub(kSub1) + "/resources?" + kV, ArmApi::kMaxPageSize, &pages);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(ids.size(), expected.size());
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()),
            std::set<std::string>(expected.begin(), expected.end()));
  // Stable order: a second walk sees the same sequence.
  EXPECT_EQ(Walk(Sub(kSub1) + "/resources?" + kV), ids);
  // $top is the page size; the walk still reaches everything.
  auto small = Walk(Sub(kSub1) + "/resources?" + kV + "&$top=700", 700, &pages);
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(small, ids);
  // Resource group scope.
  auto net = Walk(Rg(kSub1, "rg-net") + "/resources?" + kV);
  EXPECT_EQ(net, (std::vector<std::string>{VnetId(), NsgId()}));
}

TEST_F(ArmApiTest, GenericListFilters) {
  auto ids = Walk(Sub(kSub1) + "/resources?" + kV +
                  "&$filter=resourceType%20eq%20'microsoft.sql/servers'");
  EXPECT_EQ(ids, std::vector<std::string>{SqlId()});
  ids = Walk(Sub(kSub1) + "/resources?" + kV + "&$filter=resourceGroup eq 'RG-NET'");
  EXPECT_EQ(ids, (std::vector<std::string>{VnetId(), NsgId()}));
  ids = Walk(Sub(kSub1) + "/resources?" + kV +
             "&$filter=resourceType eq 'Microsoft.Storage/storageAccounts' and resourceGroup eq "
             "'rg-app'&$top=1000");
  EXPECT_EQ(ids.size(), static_cast<size_t>(kStorageAccounts));
  auto r = Get(Sub(kSub1) + "/resources?" + kV + "&$filter=substringof('x', name)");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "InvalidFilterInQueryString");
  r = Get(Sub(kSub1) + "/resources?" + kV + "&$filter=tagName eq 'x'");
  EXPECT_EQ(ErrorCode(r), "InvalidFilterInQueryString");
  r = Get(Sub(kSub1) + "/resources?" + kV + "&$top=0");
  EXPECT_EQ(r.status, 400);
  r = Get(Sub(kSub1) + "/resources?" + kV + "&$skiptoken=garbage");
  EXPECT_EQ(r.status, 400);
  // A token from another listing is refused rather than mis-paging.
  auto first = Body(Get(Sub(kSub1) + "/resources?" + kV));
  std::string next = TargetOf(*FindString(first.if_object(), "nextLink"), kArmBase);
  std::string token = next.substr(next.find("$skiptoken="));
  r = Get(Rg(kSub1, "rg-app") + "/resources?" + kV + "&" + token);
  EXPECT_EQ(r.status, 400);
}

TEST_F(ArmApiTest, PerTypeLists) {
  auto ids = Walk(Sub(kSub1) + "/providers/Microsoft.Compute/virtualMachines?" + kV);
  EXPECT_EQ(ids, std::vector<std::string>{VmId()});
  ids = Walk(Rg(kSub1, "RG-Net") + "/providers/microsoft.network/VIRTUALNETWORKS?" + kV);
  EXPECT_EQ(ids, std::vector<std::string>{VnetId()});
  EXPECT_TRUE(
      Walk(Rg(kSub1, "rg-app") + "/providers/Microsoft.Network/virtualNetworks?" + kV).empty());
  int pages = 0;
  ids = Walk(Sub(kSub1) + "/providers/Microsoft.Storage/storageAccounts?" + kV,
             ArmApi::kMaxPageSize, &pages);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kStorageAccounts));
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
}

TEST_F(ArmApiTest, ChildLists) {
  EXPECT_EQ(Walk(VnetId() + "/subnets?" + kV),
            (std::vector<std::string>{VnetId() + "/subnets/sub-a", VnetId() + "/subnets/sub-b"}));
  EXPECT_EQ(Walk(NsgId() + "/securityRules?" + kV),
            std::vector<std::string>{NsgId() + "/securityRules/allow-ssh"});
  EXPECT_EQ(Walk(VmId() + "/extensions?" + kV),
            std::vector<std::string>{VmId() + "/extensions/AzureMonitorLinuxAgent"});
  EXPECT_EQ(Walk(SqlId() + "/databases?" + kV).size(), 2u);
  EXPECT_EQ(Walk(ToLower(SqlId()) + "/FIREWALLRULES?" + kV),
            std::vector<std::string>{SqlId() + "/firewallRules/AllowAll"});
  EXPECT_TRUE(Walk(VnetId() + "/virtualNetworkPeerings?" + kV).empty());
  auto r =
      Get(Rg(kSub1, "RG-Net") + "/providers/Microsoft.Network/virtualNetworks/ghost/subnets?" + kV);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "ResourceNotFound");
}

TEST_F(ArmApiTest, RoleAssignments) {
  const std::string ra_sub = RoleAssignmentId(Sub(kSub1), "a0000000-0000-4000-8000-000000000001");
  const std::string ra_rg =
      RoleAssignmentId(Rg(kSub1, "rg-app"), "a0000000-0000-4000-8000-000000000002");
  const std::string ra_vm = RoleAssignmentId(VmId(), "a0000000-0000-4000-8000-000000000003");
  const std::string path = "/providers/Microsoft.Authorization/roleAssignments?";
  // At a subscription: everything at or below it (never another subscription's).
  EXPECT_EQ(Walk(Sub(kSub1) + path + kV), (std::vector<std::string>{ra_sub, ra_rg, ra_vm}));
  EXPECT_EQ(Walk(Sub(kSub1) + path + kV + "&$filter=atScope()"), std::vector<std::string>{ra_sub});
  // At a resource group: inherited from above plus below.
  EXPECT_EQ(Walk(Rg(kSub1, "rg-app") + path + kV),
            (std::vector<std::string>{ra_sub, ra_rg, ra_vm}));
  EXPECT_EQ(Walk(Rg(kSub1, "rg-app") + path + kV + "&$filter=atScope()"),
            (std::vector<std::string>{ra_sub, ra_rg}));
  EXPECT_EQ(Walk(Rg(kSub1, "RG-Net") + path + kV), std::vector<std::string>{ra_sub});
  EXPECT_EQ(Walk(VmId() + path + kV + "&$filter=atScope()"),
            (std::vector<std::string>{ra_sub, ra_rg, ra_vm}));
  EXPECT_EQ(Walk(Sub(kSub1) + path + kV + "&$filter=principalId eq '" + UserId(0) + "'"),
            (std::vector<std::string>{ra_sub, ra_vm}));
  auto r = Get(Sub(kSub1) + path + kV + "&$filter=roleName eq 'x'");
  EXPECT_EQ(r.status, 400);
  // By id.
  r = Get(ra_rg + "?" + kV);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(*FindString(Body(r).if_object(), "id"), ra_rg);
  r = Get(RoleAssignmentId(Sub(kSub1), "ffffffff-0000-4000-8000-000000000000") + "?" + kV);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "RoleAssignmentNotFound");
}

TEST_F(ArmApiTest, RoleDefinitions) {
  const std::string custom = Sub(kSub1) +
                             "/providers/Microsoft.Authorization/roleDefinitions/"
                             "d0000000-0000-4000-8000-000000000001";
  const std::string owner =
      "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
  auto ids = Walk(Sub(kSub1) + "/providers/Microsoft.Authorization/roleDefinitions?" + kV);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), (std::set<std::string>{custom, owner}));
  EXPECT_EQ(Walk(Sub(kSub2) + "/providers/Microsoft.Authorization/roleDefinitions?" + kV),
            std::vector<std::string>{owner});
  EXPECT_EQ(Walk(std::string("/providers/Microsoft.Authorization/roleDefinitions?") + kV),
            std::vector<std::string>{owner});
  EXPECT_EQ(Walk(Sub(kSub1) + "/providers/Microsoft.Authorization/roleDefinitions?" + kV +
                 "&$filter=roleName eq 'Owner'"),
            std::vector<std::string>{owner});
  EXPECT_EQ(Get(owner + "?" + kV).status, 200);
  auto r = Get(Sub(kSub1) +
               "/providers/Microsoft.Authorization/roleDefinitions/"
               "d0000000-0000-4000-8000-00000000ffff?" +
               kV);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "RoleDefinitionDoesNotExist");
}

TEST_F(ArmApiTest, DiagnosticSettings) {
  EXPECT_EQ(
      Walk(NsgId() + "/providers/Microsoft.Insights/diagnosticSettings?" + kV),
      std::vector<std::string>{NsgId() + "/providers/Microsoft.Insights/diagnosticSettings/ds1"});
  auto r = Get(VmId() + "/providers/microsoft.insights/diagnosticSettings?" + kV);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"value\":[]}");
  r = Get(Rg(kSub1, "rg-app") +
          "/providers/Microsoft.Compute/virtualMachines/ghost/providers/"
          "Microsoft.Insights/diagnosticSettings?" +
          kV);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "ResourceNotFound");
}

TEST_F(ArmApiTest, Providers) {
  auto r = Get(Sub(kSub1) + "/providers?" + kV);
  ASSERT_EQ(r.status, 200);
  auto body = Body(r);
  bool found = false;
  for (const auto& p : *FindArray(body.if_object(), "value")) {
    if (*FindString(p.if_object(), "namespace") != "Microsoft.Network") continue;
    EXPECT_EQ(*FindString(p.if_object(), "id"), Sub(kSub1) + "/providers/Microsoft.Network");
    for (const auto& t : *FindArray(p.if_object(), "resourceTypes")) {
      if (*FindString(t.if_object(), "resourceType") != "virtualNetworks") continue;
      found = true;
      const auto* versions = FindArray(t.if_object(), "apiVersions");
      ASSERT_NE(versions, nullptr);
      EXPECT_EQ(
          versions->at(0),
          json::value(FindResourceType("Microsoft.Network/virtualNetworks")->api_versions[0]));
    }
  }
  EXPECT_TRUE(found);
  r = Get(std::string("/providers/microsoft.compute?") + kV);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(*FindString(Body(r).if_object(), "namespace"), "Microsoft.Compute");
  EXPECT_EQ(Get(Sub(kSub1) + "/providers/Microsoft.Sql?" + kV).status, 200);
  r = Get(Sub(kSub1) + "/providers/Microsoft.Nope?" + kV);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "InvalidResourceNamespace");
}

TEST_F(ArmApiTest, ForbiddenSubscriptionAnswers403) {
  ApiOptions o = Options();
  o.forbidden_subscriptions.insert(ToLower(kSub2));
  ArmApi api(*index_, o);
  // Still listed (as Azure lists subscriptions a principal can see but not read into).
  auto r = Get(std::string("/subscriptions?") + kV, &api);
  EXPECT_NE(r.body.find(kSub2), std::string::npos);
  for (const std::string& path :
       {Sub(kSub2), Sub(kSub2) + "/resourcegroups", Sub(kSub2) + "/resources", KvId(),
        Sub(kSub2) + "/providers/Microsoft.Authorization/roleAssignments"}) {
    r = Get(path + "?" + kV, &api);
    EXPECT_EQ(r.status, 403) << path;
    EXPECT_EQ(ErrorCode(r), "AuthorizationFailed");
    EXPECT_NE(ErrorMessage(r).find(caller_.principal_id), std::string::npos);
    EXPECT_NE(ErrorMessage(r).find("over scope '" + path + "'"), std::string::npos)
        << ErrorMessage(r);
  }
  EXPECT_EQ(Get(KvId() + "?" + kV).status, 200);  // the default options allow it
  EXPECT_EQ(Get(VmId() + "?" + kV, &api).status, 200);
}

TEST_F(ArmApiTest, MethodsOtherThanGetAreRefused) {
  auto r = api_.Handle(MakeRequest("DELETE", VmId() + "?" + kV), caller_);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(ErrorCode(r), "MethodNotAllowed");
  r = api_.Handle(MakeRequest("PUT", VmId() + "?" + kV, "{}"), caller_);
  EXPECT_EQ(r.status, 405);
  r = Get(Sub(kSub1) + "/nonsense?" + kV);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "InvalidResourceType");
}

TEST_F(ArmApiTest, Deployments) {
  DeploymentStore store;
  ArmApi api(*index_, Options(), &store);
  const std::string path = Rg(kSub1, "rg-app") + "/providers/Microsoft.Resources/deployments/d1";
  const std::string good = R"({"properties":{"mode":"Incremental","parameters":{"p":{"value":1}},
      "template":{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion":"1.0.0.0","resources":[],"outputs":{"o":{"type":"string","value":"x"}}}}})";
  auto r = api.Handle(MakeRequest("PUT", path + "?" + kV, good), caller_);
  ASSERT_EQ(r.status, 201) << r.body;
  auto body = Body(r);
  const auto* props = FindObject(body.if_object(), "properties");
  EXPECT_EQ(*FindString(body.if_object(), "id"), path);
  EXPECT_EQ(*FindString(body.if_object(), "type"), "Microsoft.Resources/deployments");
  EXPECT_EQ(*FindString(props, "provisioningState"), "Succeeded");
  EXPECT_EQ(*FindString(props, "mode"), "Incremental");
  EXPECT_FALSE(FindString(props, "templateHash")->empty());
  EXPECT_FALSE(FindString(props, "timestamp")->empty());
  EXPECT_EQ(*FindString(FindObject(FindObject(props, "outputs"), "o"), "value"), "x");
  EXPECT_EQ(store.size(), 1u);
  // GET (any casing) answers what PUT answered; a second PUT replaces it with 200.
  r = api.Handle(MakeRequest("GET", ToLower(path) + "?" + kV), caller_);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Body(r), body);
  r = api.Handle(MakeRequest("PUT", path + "?" + kV, good), caller_);
  EXPECT_EQ(r.status, 200);
  r = api.Handle(
      MakeRequest("GET", Rg(kSub1, "rg-app") + "/providers/Microsoft.Resources/deployments?" + kV),
      caller_);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(FindArray(Body(r).if_object(), "value")->size(), 1u);
  r = api.Handle(MakeRequest("POST", path + "/exportTemplate?" + kV), caller_);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(FindArray(FindObject(Body(r).if_object(), "template"), "resources"), nullptr);

  r = api.Handle(MakeRequest("GET", path + "2?" + kV), caller_);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "DeploymentNotFound");
  struct Bad {
    const char* body;
    const char* code;
  };
  for (const Bad& b : {
           Bad{"not json", "InvalidRequestContent"},
           Bad{"{}", "InvalidRequestContent"},
           Bad{R"({"properties":{"mode":"Incremental"}})", "InvalidRequestContent"},
           Bad{R"({"properties":{"mode":"Incremental","template":{}}})", "InvalidTemplate"},
           Bad{R"({"properties":{"template":{"resources":[]}}})", "InvalidRequestContent"},
           Bad{R"({"properties":{"mode":"Sideways","template":{"resources":[]}}})",
               "InvalidDeploymentMode"},
       }) {
    r = api.Handle(MakeRequest("PUT", path + "x?" + kV, b.body), caller_);
    EXPECT_EQ(r.status, 400) << b.body;
    EXPECT_EQ(ErrorCode(r), b.code) << b.body;
  }
  r = api.Handle(
      MakeRequest("PUT", Rg(kSub1, "nope") + "/providers/Microsoft.Resources/deployments/d?" + kV,
                  good),
      caller_);
  EXPECT_EQ(ErrorCode(r), "ResourceGroupNotFound");
  EXPECT_EQ(store.size(), 1u);
  // Subscription-scope deployments live beside resource group ones.
  const std::string sub_path = Sub(kSub1) + "/providers/Microsoft.Resources/deployments/s1";
  r = api.Handle(MakeRequest("PUT", sub_path + "?" + kV, good), caller_);
  EXPECT_EQ(r.status, 201) << r.body;
  r = api.Handle(MakeRequest("GET", sub_path + "?" + kV), caller_);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(*FindString(Body(r).if_object(), "id"), sub_path);
  EXPECT_EQ(store.size(), 2u);
}

TEST_F(ArmApiTest, ConcurrentReadsAgree) {
  auto expected = Get(VmId() + "?" + kV).body;
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto r = api_.Handle(MakeRequest("GET", VmId() + "?" + kV), caller_);
        if (r.status != 200 || r.body != expected) ++bad;
        auto l = api_.Handle(MakeRequest("GET", VnetId() + "/subnets?" + kV), caller_);
        if (l.status != 200) ++bad;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace atg::sim
