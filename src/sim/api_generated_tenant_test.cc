// The API handlers over a generated tenant: every entry of the tenant file is reachable through
// the endpoints a scanner uses, exactly once, with its body unchanged.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "common/strings.h"
#include "sim/api_testing.h"
#include "sim/arm_api.h"
#include "sim/catalog.h"
#include "sim/generator.h"
#include "sim/graph_api.h"
#include "sim/resource_graph_api.h"

namespace atg::sim {
namespace {

using namespace api_testing;  // NOLINT: shared test fixtures

constexpr const char* kV = "api-version=2021-04-01";

class GeneratedTenantApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    GeneratorOptions o;
    o.seed = 7;
    o.subscriptions = 3;
    o.resources = 3000;
    o.users = 1500;
    o.groups = 60;
    auto t = GenerateTenant(o);
    ASSERT_TRUE(t.ok()) << t.status().message();
    tenant_ = new Tenant(std::move(*t));
    index_ = new TenantIndex(*tenant_);
  }
  static void TearDownTestSuite() {
    delete index_;
    delete tenant_;
  }
  static ApiOptions Options() {
    ApiOptions o;
    o.arm_base_url = kArmBase;
    o.graph_base_url = kGraphBase;
    return o;
  }
  std::vector<std::string> WalkArm(std::string target) {
    std::vector<std::string> ids;
    for (int pages = 0; pages < 1000; ++pages) {
      auto r = arm_.Handle(MakeRequest("GET", target), caller_);
      EXPECT_EQ(r.status, 200) << target << ": " << r.body;
      if (r.status != 200) break;
      auto body = Body(r);
      for (const auto& v : *FindArray(body.if_object(), "value")) {
        ids.emplace_back(*FindString(v.if_object(), "id"));
      }
      auto next = FindString(body.if_object(), "nextLink");
      if (!next) break;
      target = TargetOf(*next, kArmBase);
    }
    return ids;
  }
  size_t WalkGraph(std::string target, std::set<std::string>* ids) {
    size_t n = 0;
    for (int pages = 0; pages < 1000; ++pages) {
      auto r = graph_.Handle(MakeRequest("GET", target), caller_);
      EXPECT_EQ(r.status, 200) << target << ": " << r.body;
      if (r.status != 200) break;
      auto body = Body(r);
      for (const auto& v : *FindArray(body.if_object(), "value")) {
        ids->insert(std::string(*FindString(v.if_object(), "id")));
        ++n;
      }
      auto next = FindString(body.if_object(), "@odata.nextLink");
      if (!next) break;
      target = TargetOf(*next, kGraphBase);
    }
    return n;
  }

  static Tenant* tenant_;
  static TenantIndex* index_;
  ArmApi arm_{*index_, Options()};
  ResourceGraphApi arg_{*index_, Options()};
  GraphApi graph_{*index_, Options()};
  CallerContext caller_{"99999999-0000-4000-8000-000000000009", "t"};
};
Tenant* GeneratedTenantApiTest::tenant_ = nullptr;
TenantIndex* GeneratedTenantApiTest::index_ = nullptr;

TEST_F(GeneratedTenantApiTest, EveryResourceIsServedByIdUnchanged) {
  ASSERT_EQ(tenant_->resources.size(), 3000u);
  for (const auto& v : tenant_->resources) {
    std::string id(*FindString(v.if_object(), "id"));
    auto r = arm_.Handle(MakeRequest("GET", id + "?" + kV), caller_);
    ASSERT_EQ(r.status, 200) << id;
    // The generator inlines children itself, so every body is the tenant's exactly.
    ASSERT_EQ(Body(r), v) << id;
  }
}

TEST_F(GeneratedTenantApiTest, ListsReachEveryEntryExactlyOnce) {
  std::map<std::string, std::set<std::string>> top_by_sub;                    // sub -> ids
  std::map<std::pair<std::string, std::string>, std::set<std::string>> kids;  // parent, segment
  std::map<std::string, std::set<std::string>> diagnostics;                   // scope -> ids
  for (const auto& v : tenant_->resources) {
    std::string id(*FindString(v.if_object(), "id"));
    const IndexedResource* r = index_->FindResource(id);
    ASSERT_NE(r, nullptr);
    const ResourceTypeInfo* info = FindResourceType(*FindString(v.if_object(), "type"));
    ASSERT_NE(info, nullptr) << id;
    if (info->extension) {
      if (r->type_lower == "microsoft.insights/diagnosticsettings") {
        diagnostics[r->parent_lower].insert(id);
      }
    } else if (info->child) {
      kids[{r->parent_lower, id.substr(0, id.rfind('/'))}].insert(id);
    } else {
      top_by_sub[std::string(r->subscription)].insert(id);
    }
  }
  size_t top_total = 0;
  for (const auto& s : tenant_->subscriptions) {
    std::string sub(*FindString(s.if_object(), "subscriptionId"));
    auto ids = WalkArm("/subscriptions/" + sub + "/resources?" + kV);
    EXPECT_EQ(ids.size(), top_by_sub[ToLower(sub)].size());
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), top_by_sub[ToLower(sub)]);
    top_total += ids.size();
  }
  EXPECT_GT(top_total, 0u);
  size_t child_total = 0;
  for (const auto& [key, expected] : kids) {
    auto ids = WalkArm(key.second + "?" + kV);  // "{parentId}/{childType}"
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), expected) << key.second;
    EXPECT_EQ(ids.size(), expected.size());
    child_total += ids.size();
  }
  EXPECT_GT(child_total, 0u);
  for (const auto& [scope, expected] : diagnostics) {
    const IndexedResource* owner = index_->FindResource(scope);
    ASSERT_NE(owner, nullptr) << scope;
    auto ids =
        WalkArm(std::string(owner->id) + "/providers/Microsoft.Insights/diagnosticSettings?" + kV);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), expected);
  }
  EXPECT_FALSE(diagnostics.empty());
}

TEST_F(GeneratedTenantApiTest, ResourceGraphTablesMatchTheCatalog) {
  size_t in_arg = 0, authz = 0;
  for (const auto& v : tenant_->resources) {
    std::string type = ToLower(*FindString(v.if_object(), "type"));
    if (type == "microsoft.authorization/roleassignments" ||
        type == "microsoft.authorization/roledefinitions") {
      ++authz;
    } else if (FindResourceType(type)->in_resource_graph) {
      ++in_arg;
    }
  }
  auto total = [&](const char* query) {
    json::object body{{"query", query}, {"options", json::object{{"$top", 1}}}};
    auto r = arg_.Handle(MakeRequest("POST",
                                     "/providers/Microsoft.ResourceGraph/resources?api-version="
                                     "2021-03-01",
                                     json::serialize(body)),
                         caller_);
    EXPECT_EQ(r.status, 200) << r.body;
    return static_cast<size_t>(*FindInt(Body(r).if_object(), "totalRecords"));
  };
  EXPECT_EQ(total("Resources"), in_arg);
  EXPECT_EQ(total("AuthorizationResources"), authz);
  EXPECT_EQ(total("ResourceContainers"),
            tenant_->subscriptions.size() + tenant_->resource_groups.size());
}

TEST_F(GeneratedTenantApiTest, DirectoryListsAndMembership) {
  std::set<std::string> ids;
  EXPECT_EQ(WalkGraph("/v1.0/users?$top=999", &ids), tenant_->users.size());
  EXPECT_EQ(ids.size(), tenant_->users.size());
  ids.clear();
  EXPECT_EQ(WalkGraph("/v1.0/groups", &ids), tenant_->groups.size());
  ids.clear();
  EXPECT_EQ(WalkGraph("/v1.0/servicePrincipals?$top=10", &ids), tenant_->service_principals.size());
  for (const auto& g : tenant_->groups) {
    std::string id(*FindString(g.if_object(), "id"));
    std::set<std::string> direct, transitive;
    EXPECT_EQ(WalkGraph("/v1.0/groups/" + id + "/members", &direct),
              FindArray(g.if_object(), "members")->size());
    size_t n = WalkGraph("/v1.0/groups/" + id + "/transitiveMembers?$select=id", &transitive);
    EXPECT_EQ(n, transitive.size()) << "duplicates in transitiveMembers of " << id;
    for (const auto& m : direct) EXPECT_EQ(transitive.count(m), 1u);
  }
}

}  // namespace
}  // namespace atg::sim
