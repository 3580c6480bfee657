#include "sim/resource_graph_api.h"

#include <gtest/gtest.h>

#include <set>

#include "common/strings.h"
#include "sim/api_testing.h"

namespace atg::sim {
namespace {

using namespace api_testing;  // NOLINT: shared test fixtures

const char* kPath = "/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01";

class ResourceGraphApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tenant_ = new Tenant(MakeTestTenant());
    index_ = new TenantIndex(*tenant_);
  }
  static void TearDownTestSuite() {
    delete index_;
    delete tenant_;
  }
  static json::object Request(const std::string& query, json::object options = {},
                              std::vector<std::string> subs = {}) {
    json::object b;
    b["query"] = query;
    if (!subs.empty()) {
      json::array a;
      for (auto& s : subs) a.emplace_back(s);
      b["subscriptions"] = std::move(a);
    }
    if (!options.empty()) b["options"] = std::move(options);
    return b;
  }
  net::HttpResponse Post(const json::object& body, const ResourceGraphApi* api = nullptr) {
    const ResourceGraphApi& a = api != nullptr ? *api : api_;
    return a.Handle(MakeRequest("POST", kPath, json::serialize(body)), caller_);
  }
  // Pages with $skipToken to the end; returns every row.
  std::vector<json::object> Walk(json::object body, size_t top, int* pages = nullptr,
                                 const ResourceGraphApi* api = nullptr) {
    std::vector<json::object> rows;
    int n = 0;
    size_t total = 0;
    json::object& options = body["options"].emplace_object();
    options["$top"] = top;
    while (true) {
      auto r = Post(body, api);
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) break;
      auto v = Body(r);
      const auto& o = v.get_object();
      const auto* data = FindArray(&o, "data");
      EXPECT_NE(data, nullptr);
      if (data == nullptr) break;
      EXPECT_LE(data->size(), top);
      EXPECT_EQ(*FindInt(&o, "count"), static_cast<int64_t>(data->size()));
      EXPECT_EQ(*FindString(&o, "resultTruncated"), "false");
      EXPECT_NE(FindArray(&o, "facets"), nullptr);
      if (n == 0) total = static_cast<size_t>(*FindInt(&o, "totalRecords"));
      for (const auto& d : *data) rows.push_back(d.get_object());
      ++n;
      auto tok = FindString(&o, "$skipToken");
      if (!tok) break;
      options["$skipToken"] = *tok;
      if (n > 200) {
        ADD_FAILURE() << "too many pages";
        break;
      }
    }
    EXPECT_EQ(total, rows.size());
    if (pages != nullptr) *pages = n;
    return rows;
  }
  static std::vector<std::string> Ids(const std::vector<json::object>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) out.emplace_back(*FindString(&r, "id"));
    return out;
  }

  static Tenant* tenant_;
  static TenantIndex* index_;
  ResourceGraphApi api_{*index_, ApiOptions{}};
  CallerContext caller_{"99999999-0000-4000-8000-000000000009", kTenantId};
};
Tenant* ResourceGraphApiTest::tenant_ = nullptr;
TenantIndex* ResourceGraphApiTest::index_ = nullptr;

TEST_F(ResourceGraphApiTest, Claims) {
  EXPECT_TRUE(ResourceGraphApi::Claims("/providers/Microsoft.ResourceGraph/resources"));
  EXPECT_TRUE(ResourceGraphApi::Claims("/PROVIDERS/microsoft.resourcegraph/RESOURCES"));
  EXPECT_FALSE(ResourceGraphApi::Claims("/providers/Microsoft.Compute"));
  EXPECT_FALSE(ResourceGraphApi::Claims("/subscriptions"));
}

TEST_F(ResourceGraphApiTest, ResourcesTableHoldsExactlyTheResourceGraphTypes) {
  // Ground truth from the tenant: types Resource Graph has rows for.
  std::set<std::string> expected;
  for (const auto& v : tenant_->resources) {
    std::string type(*FindString(v.if_object(), "type"));
    const ResourceTypeInfo* info = FindResourceType(type);
    ASSERT_NE(info, nullptr) << type;
    if (info->in_resource_graph) expected.insert(std::string(*FindString(v.if_object(), "id")));
  }
  int pages = 0;
  auto rows = Walk(Request("Resources | order by id asc"), 1000, &pages);
  auto ids = Ids(rows);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(ids.size(), expected.size());
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), expected);
  // Sorted by id, so paging is stable.
  for (size_t i = 1; i < ids.size(); ++i) EXPECT_LT(ToLower(ids[i - 1]), ToLower(ids[i]));
  EXPECT_EQ(expected.count(VnetId() + "/subnets/sub-a"), 0u);  // subnets are not rows
  EXPECT_EQ(expected.count(VmId() + "/extensions/AzureMonitorLinuxAgent"), 1u);
  EXPECT_EQ(expected.count(SqlId() + "/databases/db1"), 1u);
  // Default paging (no $top) is 100 rows, and a smaller $top walks to the same list.
  auto r = Post(Request("Resources"));
  EXPECT_EQ(FindArray(Body(r).if_object(), "data")->size(), ResourceGraphApi::kDefaultPageSize);
  EXPECT_EQ(Ids(Walk(Request("Resources"), 333)), ids);
}

TEST_F(ResourceGraphApiTest, RowsHaveAzureShape) {
  auto rows = Walk(Request("Resources | where type =~ 'Microsoft.Compute/virtualMachines'"), 10);
  ASSERT_EQ(rows.size(), 1u);
  const auto& row = rows[0];
  EXPECT_EQ(*FindString(&row, "id"), VmId());
  EXPECT_EQ(*FindString(&row, "name"), "vm1");
  EXPECT_EQ(*FindString(&row, "type"), "microsoft.compute/virtualmachines");
  EXPECT_EQ(*FindString(&row, "tenantId"), kTenantId);
  EXPECT_EQ(*FindString(&row, "resourceGroup"), "rg-app");
  EXPECT_EQ(*FindString(&row, "subscriptionId"), kSub1);
  EXPECT_EQ(*FindString(&row, "location"), "eastus");
  EXPECT_EQ(*FindString(&row, "kind"), "");
  EXPECT_EQ(*FindString(&row, "managedBy"), "");
  EXPECT_EQ(*FindString(FindObject(&row, "identity"), "type"), "SystemAssigned");
  EXPECT_EQ(FindArray(&row, "zones")->size(), 1u);
  EXPECT_TRUE(row.at("sku").is_null());
  EXPECT_TRUE(row.at("plan").is_null());
  EXPECT_TRUE(row.at("extendedLocation").is_null());
  EXPECT_EQ(*FindString(FindObject(FindObject(&row, "properties"), "hardwareProfile"), "vmSize"),
            "Standard_B2s");
  EXPECT_EQ(row.size(), 16u);
  rows = Walk(Request("Resources | where type =~ 'microsoft.network/virtualnetworks'"), 10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(*FindString(&rows[0], "resourceGroup"), "rg-net");
  EXPECT_EQ(FindArray(FindObject(&rows[0], "properties"), "subnets")->size(), 2u);
}

TEST_F(ResourceGraphApiTest, WhereProjectOrderLimit) {
  EXPECT_EQ(
      Walk(Request("Resources | where type == 'Microsoft.Compute/virtualMachines'"), 10).size(),
      0u);  // == is case-sensitive and types are lower-case
  EXPECT_EQ(Walk(Request("Resources | where type == 'microsoft.sql/servers/databases'"), 10).size(),
            2u);
  EXPECT_EQ(Walk(Request("Resources | where type in~ ('Microsoft.Sql/servers', "
                         "'microsoft.network/networksecuritygroups')"),
                 10)
                .size(),
            2u);
  EXPECT_EQ(Walk(Request("Resources | where type =~ 'microsoft.storage/storageaccounts' and "
                         "location == 'eastus' and resourceGroup =~ 'RG-APP'"),
                 1000)
                .size(),
            static_cast<size_t>(kStorageAccounts / 2));
  EXPECT_EQ(
      Walk(Request("Resources | where subscriptionId == '" + std::string(kSub2) + "'"), 10).size(),
      1u);
  EXPECT_EQ(Walk(Request("Resources | where tags.env =~ 'PROD'"), 10).size(), 1u);
  EXPECT_EQ(Walk(Request("Resources | where sku.name == 'S0'"), 10).size(), 2u);
  auto rows = Walk(Request("Resources | where name startswith 'st0000' | project id, name, "
                           "i = properties.index | order by id desc"),
                   4);
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows[0].size(), 3u);
  EXPECT_EQ(*FindString(&rows[0], "name"), "st00009");
  EXPECT_EQ(*FindInt(&rows[0], "i"), 9);
  EXPECT_EQ(*FindString(&rows[9], "name"), "st00000");
  rows = Walk(Request("Resources | where name startswith 'st' | order by name asc | limit 5"), 2);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(*FindString(&rows[4], "name"), "st00004");
}

TEST_F(ResourceGraphApiTest, ResourceContainersAndAuthorizationResources) {
  auto rows = Walk(Request("ResourceContainers"), 100);
  std::set<std::string> types;
  for (const auto& r : rows) types.insert(std::string(*FindString(&r, "type")));
  EXPECT_EQ(rows.size(), 3u + 3u);
  EXPECT_EQ(types, (std::set<std::string>{"microsoft.resources/subscriptions",
                                          "microsoft.resources/subscriptions/resourcegroups"}));
  rows = Walk(Request("ResourceContainers | where type =~ 'microsoft.resources/subscriptions' | "
                      "project id, name, subscriptionId"),
              100);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(*FindString(&rows[0], "name"), "Production");
  rows = Walk(Request("ResourceContainers | where type =~ "
                      "'microsoft.resources/subscriptions/resourcegroups' and name == 'RG-Net'"),
              100);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(*FindString(&rows[0], "resourceGroup"), "rg-net");
  EXPECT_EQ(*FindString(&rows[0], "location"), "westeurope");

  rows = Walk(Request("AuthorizationResources | where type =~ "
                      "'microsoft.authorization/roleassignments'"),
              100);
  EXPECT_EQ(rows.size(), 4u);
  rows = Walk(Request("AuthorizationResources"), 100);
  EXPECT_EQ(rows.size(), 6u);
}

TEST_F(ResourceGraphApiTest, SubscriptionScopingAndForbiddenSubscriptions) {
  EXPECT_EQ(Walk(Request("Resources", {}, {kSub2}), 100).size(), 1u);
  EXPECT_EQ(Walk(Request("Resources", {}, {kSub3}), 100).size(), 0u);
  EXPECT_EQ(Walk(Request("ResourceContainers", {}, {ToLower(kSub1)}), 100).size(), 3u);
  size_t all = Walk(Request("Resources"), 1000).size();

  ApiOptions o;
  o.forbidden_subscriptions.insert(ToLower(kSub2));
  ResourceGraphApi api(*index_, o);
  EXPECT_EQ(Walk(Request("Resources", {}, {kSub2}), 100, nullptr, &api).size(), 0u);
  EXPECT_EQ(Walk(Request("Resources"), 1000, nullptr, &api).size(), all - 1);
  auto ids = Ids(Walk(Request("ResourceContainers"), 100, nullptr, &api));
  for (const auto& id : ids) EXPECT_EQ(id.find(kSub2), std::string::npos) << id;
  EXPECT_EQ(Walk(Request("AuthorizationResources", {}, {kSub2}), 100, nullptr, &api).size(),
            1u);  // only the tenant-level role definition
}

TEST_F(ResourceGraphApiTest, Errors) {
  auto r = Post(Request("Resources", {{"$top", 1001}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "BadRequest");
  r = Post(Request("Resources", {{"$top", 0}}));
  EXPECT_EQ(r.status, 400);
  r = Post(Request("Resources | summarize count() by type"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "BadRequest");
  auto body = Body(r);
  const auto* details = FindArray(FindObject(body.if_object(), "error"), "details");
  ASSERT_NE(details, nullptr);
  ASSERT_EQ(details->size(), 2u);
  EXPECT_EQ(*FindString(details->at(0).if_object(), "code"), "InvalidQuery");
  EXPECT_NE(FindString(details->at(1).if_object(), "message")->find("summarize"),
            std::string::npos);
  r = Post(Request("Resources | where nosuchcolumn == 'x'"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("nosuchcolumn"), std::string::npos);
  r = Post(Request("Resources | project id.x"));
  EXPECT_EQ(r.status, 400);
  r = Post(Request("Resources", {{"$skipToken", "bm9wZQ=="}}));
  EXPECT_EQ(r.status, 400);
  r = api_.Handle(MakeRequest("POST", kPath, "{\"no\":1}"), caller_);
  EXPECT_EQ(r.status, 400);
  r = api_.Handle(MakeRequest("POST", kPath, "nope"), caller_);
  EXPECT_EQ(r.status, 400);
  r = api_.Handle(MakeRequest("GET", kPath), caller_);
  EXPECT_EQ(r.status, 405);
  r = api_.Handle(MakeRequest("POST", "/providers/Microsoft.ResourceGraph/resources",
                              json::serialize(Request("Resources"))),
                  caller_);
  EXPECT_EQ(ErrorCode(r), "MissingApiVersionParameter");
  // A token is bound to its query.
  auto first = Body(Post(Request("Resources")));
  std::string tok(*FindString(first.if_object(), "$skipToken"));
  r = Post(Request("Resources | where name startswith 'st'", {{"$skipToken", tok}}));
  EXPECT_EQ(r.status, 400);

  ApiOptions o;
  o.resource_graph_forbidden = true;
  ResourceGraphApi forbidden(*index_, o);
  r = Post(Request("Resources"), &forbidden);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(ErrorCode(r), "AuthorizationFailed");
}

TEST_F(ResourceGraphApiTest, SkipAndTableFormat) {
  auto all = Ids(Walk(Request("Resources | where name startswith 'st0000'"), 100));
  auto r = Post(Request("Resources | where name startswith 'st0000'", {{"$skip", 3}, {"$top", 2}}));
  ASSERT_EQ(r.status, 200);
  auto body = Body(r);
  const auto* data = FindArray(body.if_object(), "data");
  ASSERT_EQ(data->size(), 2u);
  EXPECT_EQ(*FindString(data->at(0).if_object(), "id"), all[3]);
  r = Post(Request("Resources | where name startswith 'st0000' | project id, name",
                   {{"resultFormat", "table"}, {"$top", 5}}));
  ASSERT_EQ(r.status, 200) << r.body;
  body = Body(r);
  const auto* table = FindObject(body.if_object(), "data");
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(FindArray(table, "columns")->size(), 2u);
  ASSERT_EQ(FindArray(table, "rows")->size(), 5u);
  EXPECT_EQ(FindArray(table, "rows")->at(0).as_array().at(0), json::value(all[0]));
}

}  // namespace
}  // namespace atg::sim
