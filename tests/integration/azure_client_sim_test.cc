// The azure/ client stack against the simulator over real loopback HTTP: paging to the end of
// every list form, 429 storms with and without Retry-After, and injected faults — in each case
// the client must read exactly the simulator's ground truth.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "azure/azure_stack.h"
#include "azure/paging.h"
#include "common/config.h"
#include "common/strings.h"
#include "sim/catalog.h"
#include "sim/simulator.h"

namespace atg {
namespace {

using azure::AzureClientOptions;
using azure::AzureStack;

std::unique_ptr<sim::Simulator> StartSimulator(sim::SimulatorOptions options) {
  auto sim = sim::Simulator::Create(std::move(options));
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  if (!sim.ok()) return nullptr;
  Status started = (*sim)->Start();
  EXPECT_TRUE(started.ok()) << started.ToString();
  return std::move(sim.value());
}

AzureStack ClientFor(const sim::Simulator& sim, AzureClientOptions options) {
  const auto& c = sim.credentials();
  Settings settings = Settings::FromMaps({{"ATG_ARM_ENDPOINT", sim.base_url()},
                                          {"ATG_GRAPH_ENDPOINT", sim.base_url()},
                                          {"AZURE_AUTHORITY_HOST", sim.base_url()},
                                          {"AZURE_TENANT_ID", c.tenant_id},
                                          {"AZURE_CLIENT_ID", c.client_id},
                                          {"AZURE_CLIENT_SECRET", c.client_secret}},
                                         {});
  auto stack = azure::NewAzureStack(settings, options);
  EXPECT_TRUE(stack.ok()) << stack.status().ToString();
  return std::move(stack.value());
}

AzureClientOptions FastRetries(int attempts = 10) {
  AzureClientOptions o;
  o.retry.max_attempts = attempts;
  o.retry.base = std::chrono::milliseconds(20);
  o.retry.cap = std::chrono::milliseconds(400);
  o.retry.throttle_floor = std::chrono::milliseconds(50);
  o.retry.seed = 7;
  return o;
}

sim::SimulatorOptions SmallTenant(int resources, int subscriptions) {
  sim::SimulatorOptions o;
  o.generator.seed = 11;
  o.generator.subscriptions = subscriptions;
  o.generator.resources = resources;
  o.generator.users = 1500;
  o.generator.groups = 40;
  o.generator.service_principals = -1;
  o.throttle = sim::ThrottleMode::kOff;
  return o;
}

// Top-level ARM resources of one subscription: what `/subscriptions/{id}/resources` lists.
std::multiset<std::string> TopLevelIds(const sim::Tenant& t, const std::string& sub) {
  std::multiset<std::string> ids;
  std::string prefix = "/subscriptions/" + ToLower(sub) + "/";
  for (const auto& r : t.resources) {
    const auto& o = r.as_object();
    std::string id = ToLower(std::string(o.at("id").as_string()));
    const sim::ResourceTypeInfo* info = sim::FindResourceType(o.at("type").as_string());
    if (info && (info->child || info->extension)) continue;
    if (id.rfind(prefix, 0) == 0) ids.insert(id);
  }
  return ids;
}

std::vector<std::string> SubscriptionIds(const sim::Tenant& t) {
  std::vector<std::string> subs;
  for (const auto& s : t.subscriptions)
    subs.emplace_back(s.as_object().at("subscriptionId").as_string());
  return subs;
}

TEST(AzureClientSimulatorTest, ArmPagingReadsExactlyTheGroundTruth) {
  auto sim = StartSimulator(SmallTenant(2600, 3));
  ASSERT_TRUE(sim);
  AzureStack stack = ClientFor(*sim, FastRetries());
  for (const std::string& sub : SubscriptionIds(sim->tenant())) {
    std::multiset<std::string> seen;
    auto stats = azure::ForEachArmPage(
        *stack.client,
        sim->base_url() + "/subscriptions/" + sub + "/resources?api-version=2021-04-01",
        [&](const json::array& items, const json::object&) {
          for (const auto& it : items) seen.insert(ToLower(it.as_object().at("id").as_string()));
          return true;
        });
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
    EXPECT_EQ(seen, TopLevelIds(sim->tenant(), sub)) << "subscription " << sub;
    if (seen.size() > 1000) EXPECT_GT(stats->pages, 1);
  }
}

TEST(AzureClientSimulatorTest, ResourceGraphPagingReadsEveryRow) {
  auto sim = StartSimulator(SmallTenant(3000, 2));
  ASSERT_TRUE(sim);
  AzureStack stack = ClientFor(*sim, FastRetries());
  json::array subs;
  for (const auto& s : SubscriptionIds(sim->tenant())) subs.emplace_back(s);
  std::set<std::string> seen;
  int64_t rows = 0;
  auto stats = azure::ForEachResourceGraphPage(
      *stack.client,
      sim->base_url() + "/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01",
      json::object{{"subscriptions", subs}, {"query", "Resources | order by id asc"}},
      [&](const json::array& items, const json::object&) {
        for (const auto& it : items) {
          seen.insert(ToLower(it.as_object().at("id").as_string()));
          ++rows;
        }
        return true;
      });
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  std::set<std::string> expected;
  for (const auto& r : sim->tenant().resources) {
    const auto& o = r.as_object();
    const sim::ResourceTypeInfo* info = sim::FindResourceType(o.at("type").as_string());
    if (info && info->in_resource_graph) expected.insert(ToLower(o.at("id").as_string()));
  }
  EXPECT_EQ(rows, static_cast<int64_t>(seen.size())) << "a row was returned twice";
  EXPECT_EQ(seen, expected);
  EXPECT_GT(stats->pages, 1);
}

TEST(AzureClientSimulatorTest, GraphPagingReadsEveryDirectoryObject) {
  auto sim = StartSimulator(SmallTenant(200, 1));
  ASSERT_TRUE(sim);
  AzureStack stack = ClientFor(*sim, FastRetries());
  struct Case {
    std::string path;
    size_t expected;
  };
  for (const Case& c :
       {Case{"/v1.0/users?$top=999&$select=id,displayName", sim->tenant().users.size()},
        Case{"/v1.0/groups?$top=100", sim->tenant().groups.size()},
        Case{"/v1.0/servicePrincipals?$top=50", sim->tenant().service_principals.size()}}) {
    std::set<std::string> ids;
    size_t rows = 0;
    auto stats =
        azure::ForEachGraphPage(*stack.client, sim->base_url() + c.path,
                                [&](const json::array& items, const json::object&) {
                                  for (const auto& it : items) {
                                    ids.insert(std::string(it.as_object().at("id").as_string()));
                                    ++rows;
                                  }
                                  return true;
                                });
    ASSERT_TRUE(stats.ok()) << c.path << ": " << stats.status().ToString();
    EXPECT_EQ(rows, c.expected) << c.path;
    EXPECT_EQ(ids.size(), c.expected) << c.path;
  }
}

// Runs `per_thread` GETs of `urls` (round robin) on `threads` threads; returns failures.
int HammerGets(azure::AzureHttpClient& client, const std::vector<std::string>& urls, int threads,
               int per_thread) {
  std::atomic<int> failures{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        auto r = client.GetJson(urls[(t * per_thread + i) % urls.size()]);
        if (!r.ok()) {
          ADD_FAILURE() << r.status().ToString();
          ++failures;
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  return failures.load();
}

TEST(AzureClientSimulatorTest, ArmThrottleStormWithRetryAfterIsRiddenOut) {
  sim::SimulatorOptions o = SmallTenant(300, 1);
  o.throttle = sim::ThrottleMode::kRealistic;
  o.throttle_limits.arm_read_capacity = 20;
  o.throttle_limits.arm_read_refill_per_second = 40;
  auto sim = StartSimulator(o);
  ASSERT_TRUE(sim);
  AzureClientOptions co = FastRetries(20);
  co.rate_limits.enabled = false;  // let the server do the throttling
  AzureStack stack = ClientFor(*sim, co);
  std::vector<std::string> urls;
  for (const std::string& id : TopLevelIds(sim->tenant(), SubscriptionIds(sim->tenant())[0]))
    urls.push_back(sim->base_url() + id + "?api-version=2023-01-01");
  ASSERT_FALSE(urls.empty());
  EXPECT_EQ(HammerGets(*stack.client, urls, 4, 30), 0);
  auto m = stack.client->metrics().Snapshot();
  EXPECT_GT(m.throttled, 0u) << "the storm never produced a 429";
  EXPECT_GT(m.retries, 0u);
  EXPECT_GT(m.throttle_wait_seconds, 0.0);
}

TEST(AzureClientSimulatorTest, GraphThrottleStormWithoutRetryAfterStillBacksOff) {
  sim::SimulatorOptions o = SmallTenant(50, 1);
  o.throttle = sim::ThrottleMode::kRealistic;
  o.throttle_limits.graph_resource_units = 30;
  o.throttle_limits.graph_refill_per_second = 60;
  o.throttle_limits.graph_no_retry_after_one_in = 1;  // no 429 carries Retry-After
  auto sim = StartSimulator(o);
  ASSERT_TRUE(sim);
  AzureClientOptions co = FastRetries(20);
  co.rate_limits.enabled = false;
  AzureStack stack = ClientFor(*sim, co);
  std::vector<std::string> urls;
  for (size_t i = 0; i < 20 && i < sim->tenant().users.size(); ++i) {
    urls.push_back(sim->base_url() + "/v1.0/users/" +
                   std::string(sim->tenant().users[i].as_object().at("id").as_string()));
  }
  EXPECT_EQ(HammerGets(*stack.client, urls, 4, 25), 0);
  auto m = stack.client->metrics().Snapshot();
  EXPECT_GT(m.throttled, 0u) << "the storm never produced a 429";
  EXPECT_GT(m.throttle_wait_seconds, 0.0) << "a 429 without Retry-After must still back off";
}

TEST(AzureClientSimulatorTest, FaultsAreRetriedAndTheReadStaysExact) {
  sim::SimulatorOptions o = SmallTenant(2200, 2);
  o.fault_rate = 0.15;
  o.seed = 5;
  auto sim = StartSimulator(o);
  ASSERT_TRUE(sim);
  AzureStack stack = ClientFor(*sim, FastRetries(12));
  for (const std::string& sub : SubscriptionIds(sim->tenant())) {
    std::multiset<std::string> seen;
    auto stats = azure::ForEachArmPage(
        *stack.client,
        sim->base_url() + "/subscriptions/" + sub + "/resources?api-version=2021-04-01&$top=200",
        [&](const json::array& items, const json::object&) {
          for (const auto& it : items) seen.insert(ToLower(it.as_object().at("id").as_string()));
          return true;
        });
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
    EXPECT_EQ(seen, TopLevelIds(sim->tenant(), sub));
  }
  size_t users = 0;
  auto stats = azure::ForEachGraphPage(*stack.client, sim->base_url() + "/v1.0/users?$top=100",
                                       [&](const json::array& items, const json::object&) {
                                         users += items.size();
                                         return true;
                                       });
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(users, sim->tenant().users.size());
  EXPECT_GT(stack.client->metrics().Snapshot().retries, 0u) << "no fault was met";
}

}  // namespace
}  // namespace atg
