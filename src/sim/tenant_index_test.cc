#include "sim/tenant_index.h"

#include <gtest/gtest.h>
#include <time.h>

#include <chrono>
#include <thread>
#include <vector>

#include "common/strings.h"
#include "sim/api_testing.h"

namespace atg::sim {
namespace {

using namespace api_testing;  // NOLINT: shared test fixtures

TEST(TenantIndexTest, ClassifiesAndFindsResources) {
  Tenant t = MakeTestTenant();
  TenantIndex index(t);
  EXPECT_EQ(index.tenant_id(), kTenantId);
  EXPECT_EQ(index.resource_count(), t.resources.size());
  const IndexedResource* vm = index.FindResource(ToLower(VmId()) + "/");
  ASSERT_NE(vm, nullptr);
  EXPECT_EQ(vm->id, VmId());
  EXPECT_EQ(vm->kind, ResourceKind::kTopLevel);
  EXPECT_EQ(vm->resource_group, "rg-app");
  EXPECT_EQ(vm->subscription, kSub1);
  const IndexedResource* subnet = index.FindResource(VnetId() + "/SUBNETS/sub-a");
  ASSERT_NE(subnet, nullptr);
  EXPECT_EQ(subnet->kind, ResourceKind::kChild);
  EXPECT_EQ(subnet->parent_lower, ToLower(VnetId()));
  const IndexedResource* ds =
      index.FindResource(NsgId() + "/providers/Microsoft.Insights/diagnosticSettings/ds1");
  ASSERT_NE(ds, nullptr);
  EXPECT_EQ(ds->kind, ResourceKind::kExtension);
  EXPECT_EQ(ds->parent_lower, ToLower(NsgId()));
  EXPECT_EQ(index.FindResource(VmId() + "x"), nullptr);

  EXPECT_EQ(index.TopLevelInSubscription(kSub1).size(), 4u + static_cast<size_t>(kStorageAccounts));
  EXPECT_EQ(index.TopLevelInResourceGroup(kSub1, "rg-net").size(), 2u);
  EXPECT_EQ(index.TopLevelOfType(kSub1, "microsoft.sql/servers").size(), 1u);
  EXPECT_EQ(index.Children(SqlId(), "microsoft.sql/servers/databases").size(), 2u);
  EXPECT_EQ(index.ExtensionsAt(ToLower(VmId())).size(), 1u);  // a role assignment
  EXPECT_EQ(index.ExtensionsAt(Sub(kSub1)).size(), 2u);       // assignment + definition
  EXPECT_EQ(index.role_assignments().size(), 4u);
  EXPECT_EQ(index.role_definitions().size(), 2u);
  EXPECT_EQ(index.ResourceGroupsOf(kSub1).size(), 2u);
  EXPECT_NE(index.FindResourceGroup(kSub1, "rg-NET"), nullptr);
  EXPECT_EQ(index.FindResourceGroup(kSub2, "rg-net"), nullptr);
  EXPECT_EQ(index.users().size(), static_cast<size_t>(kUsers));
  ASSERT_NE(index.FindDirectoryObject(GroupId(0)), nullptr);
  EXPECT_EQ(index.FindDirectoryObject(GroupId(0))->members.size(), 3u);
  EXPECT_EQ(index.FindDirectoryObject(GroupId(0))->body.count("members"), 0u);
  // The tenant itself is not modified by inlining.
  EXPECT_EQ(FindObject(FindObject(t.resources[0].if_object(), "properties"), "subnets"), nullptr);
}

TEST(TenantIndexTest, KeepsChildrenTheTenantAlreadyInlined) {
  Tenant t = MakeTestTenant();
  auto& vnet = t.resources[0].as_object();
  vnet["properties"].as_object()["subnets"] = json::array{json::object{{"name", "custom"}}};
  std::string expected = json::serialize(vnet);
  TenantIndex index(std::move(t));  // the index takes the tenant over
  const IndexedResource* r = index.FindResource(VnetId());
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->json(), expected);
}

TEST(TenantIndexTest, GraphTablesAreSortedById) {
  TenantIndex index(MakeTestTenant());
  for (const auto* table : {&index.resources_table(), &index.resource_containers_table(),
                            &index.authorization_table()}) {
    ASSERT_FALSE(table->empty());
    for (size_t i = 1; i < table->size(); ++i) {
      EXPECT_LT((*table)[i - 1].id_lower, (*table)[i].id_lower);
    }
  }
}

TEST(TenantIndexTest, FirstSerializationRacesSafely) {
  TenantIndex index(MakeTestTenant());
  std::vector<const IndexedResource*> all;
  for (const auto& row : index.resources_table()) all.push_back(row.resource);
  // Four threads serialize the same cold bodies at once; all must see one identical text.
  std::vector<std::vector<const std::string*>> seen(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (const auto* r : all) seen[t].push_back(&r->json());
    });
  }
  for (auto& th : threads) th.join();
  for (size_t i = 0; i < all.size(); ++i) {
    for (int t = 1; t < 4; ++t) ASSERT_EQ(seen[t][i], seen[0][i]);
    // Byte for byte what Boost.JSON writes, except where children are inlined.
    if (all[i]->inlined.empty()) EXPECT_EQ(*seen[0][i], json::serialize(*all[i]->body));
  }
}

TEST(TenantIndexTest, BuildsOneHundredThousandResourcesQuickly) {
  Tenant t = MakeLargeTenant(100000);
  ASSERT_GE(t.resources.size(), 100000u);
  // CPU time of this thread: the machine running the tests may be busy with other work.
  auto cpu_now = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  };
  auto start = std::chrono::steady_clock::now();
  double cpu_start = cpu_now();
  TenantIndex index(t);
  double cpu = cpu_now() - cpu_start;
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(index.resource_count(), t.resources.size());
  RecordProperty("build_cpu_seconds", std::to_string(cpu));
  std::printf("TenantIndex over %zu resources built in %.3f s CPU (%.3f s wall)\n",
              t.resources.size(), cpu, wall);
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_LT(cpu, 1.5);
#endif
}

}  // namespace
}  // namespace atg::sim
