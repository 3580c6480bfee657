#include "sim/throttle.h"

#include <gtest/gtest.h>

#include <thread>

namespace atg::sim {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string HeaderOf(const ThrottleDecision& d, std::string_view name) {
  for (const auto& [k, v] : d.headers)
    if (k == name) return v;
  return "<absent>";
}

net::HttpRequest GraphRequest(std::string method, std::string target) {
  net::HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.ParseTarget();
  return r;
}

TEST(ThrottleTest, ArmReadBucketBurstsThenRefillsAt25PerSecond) {
  FakeClock clock;
  Throttle t(ThrottleMode::kRealistic, {}, &clock);
  for (int i = 0; i < 250; ++i) {
    auto d = t.Arm("GET", "sub-1", "p1");
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(HeaderOf(d, "x-ms-ratelimit-remaining-subscription-reads"), std::to_string(249 - i));
  }
  auto refused = t.Arm("GET", "sub-1", "p1");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, seconds(1));
  EXPECT_EQ(HeaderOf(refused, "x-ms-ratelimit-remaining-subscription-reads"), "0");

  // Another principal or subscription has its own bucket.
  EXPECT_TRUE(t.Arm("GET", "sub-1", "p2").allowed);
  EXPECT_TRUE(t.Arm("GET", "sub-2", "p1").allowed);
  // Writes have their own bucket too.
  auto write = t.Arm("PUT", "sub-1", "p1");
  EXPECT_TRUE(write.allowed);
  EXPECT_EQ(HeaderOf(write, "x-ms-ratelimit-remaining-subscription-writes"), "199");

  // One second refills 25 reads, not 26.
  clock.Advance(seconds(1));
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(t.Arm("GET", "sub-1", "p1").allowed) << i;
  EXPECT_FALSE(t.Arm("GET", "sub-1", "p1").allowed);
  // 40 ms refills exactly one.
  clock.Advance(milliseconds(40));
  EXPECT_TRUE(t.Arm("GET", "sub-1", "p1").allowed);
  EXPECT_FALSE(t.Arm("GET", "sub-1", "p1").allowed);
  // A long pause refills to the capacity, never beyond.
  clock.Advance(seconds(3600));
  auto d = t.Arm("GET", "sub-1", "p1");
  EXPECT_EQ(HeaderOf(d, "x-ms-ratelimit-remaining-subscription-reads"), "249");
}

TEST(ThrottleTest, TenantLevelArmRequestsUseTenantHeader) {
  Throttle t(ThrottleMode::kRealistic);
  auto d = t.Arm("GET", "", "p1");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(HeaderOf(d, "x-ms-ratelimit-remaining-tenant-reads"), "249");
}

TEST(ThrottleTest, ResourceGraphAllows15Per5SecondWindow) {
  FakeClock clock;
  Throttle t(ThrottleMode::kRealistic, {}, &clock);
  for (int i = 0; i < 15; ++i) {
    auto d = t.ResourceGraph("p1");
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(HeaderOf(d, "x-ms-user-quota-remaining"), std::to_string(14 - i));
    EXPECT_EQ(HeaderOf(d, "x-ms-user-quota-resets-after"), "00:00:05");
  }
  clock.Advance(seconds(2));
  auto refused = t.ResourceGraph("p1");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, seconds(3));
  EXPECT_EQ(HeaderOf(refused, "x-ms-user-quota-remaining"), "0");
  EXPECT_EQ(HeaderOf(refused, "x-ms-user-quota-resets-after"), "00:00:03");
  EXPECT_TRUE(t.ResourceGraph("p2").allowed);

  clock.Advance(seconds(3));
  auto fresh = t.ResourceGraph("p1");
  EXPECT_TRUE(fresh.allowed);
  EXPECT_EQ(HeaderOf(fresh, "x-ms-user-quota-remaining"), "14");

  auto r = Throttle::TooManyRequests(ApiSurface::kResourceGraph, refused, "", "p1");
  EXPECT_EQ(r.status, 429);
  EXPECT_NE(r.body.find("\"RateLimiting\""), std::string::npos);
  EXPECT_EQ(r.Header("x-ms-user-quota-resets-after"), "00:00:03");
}

TEST(ThrottleTest, GraphSpendsResourceUnitsAndSometimesOmitsRetryAfter) {
  FakeClock clock;
  Throttle t(ThrottleMode::kRealistic, {}, &clock);
  // 8,000 RU at cost 2 (list users) = 4,000 requests.
  for (int i = 0; i < 4000; ++i) ASSERT_TRUE(t.Graph("tenant", "app", 2).allowed) << i;
  auto refused = t.Graph("tenant", "app", 2);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, seconds(1));
  EXPECT_EQ(HeaderOf(refused, "x-ms-resource-unit"), "2");
  EXPECT_EQ(HeaderOf(refused, "x-ms-throttle-information"), "ResourceUnitLimitExceeded");
  // Another app of the same tenant is not affected.
  EXPECT_TRUE(t.Graph("tenant", "other-app", 2).allowed);

  int with = 0, without = 0;
  for (int i = 0; i < 400; ++i) {
    auto d = t.Graph("tenant", "app", 2);
    ASSERT_FALSE(d.allowed);
    auto r = Throttle::TooManyRequests(ApiSurface::kGraph, d, "", "app");
    EXPECT_EQ(r.status, 429);
    EXPECT_NE(r.body.find("\"TooManyRequests\""), std::string::npos);
    if (r.Header("Retry-After")) {
      ++with;
    } else {
      ++without;
    }
  }
  // About one in four lacks Retry-After.
  EXPECT_GT(without, 60);
  EXPECT_LT(without, 140);
  EXPECT_EQ(with + without, 400);

  // 800 RU per second come back.
  clock.Advance(seconds(1));
  for (int i = 0; i < 400; ++i) ASSERT_TRUE(t.Graph("tenant", "app", 2).allowed) << i;
  EXPECT_FALSE(t.Graph("tenant", "app", 2).allowed);
}

TEST(ThrottleTest, OffNeverRefusesButSendsHeaders) {
  Throttle t(ThrottleMode::kOff);
  for (int i = 0; i < 1000; ++i) {
    auto d = t.Arm("GET", "s", "p");
    ASSERT_TRUE(d.allowed);
    EXPECT_EQ(HeaderOf(d, "x-ms-ratelimit-remaining-subscription-reads"), "249");
    ASSERT_TRUE(t.ResourceGraph("p").allowed);
    ASSERT_TRUE(t.Graph("t", "a", 5).allowed);
  }
  EXPECT_EQ(HeaderOf(t.ResourceGraph("p"), "x-ms-user-quota-remaining"), "14");
}

TEST(ThrottleTest, ArmTooManyRequestsShape) {
  ThrottleDecision d;
  d.allowed = false;
  d.retry_after = seconds(4);
  d.headers = {{"x-ms-ratelimit-remaining-subscription-reads", "0"}};
  auto r = Throttle::TooManyRequests(ApiSurface::kArm, d, "sub-1", "p1");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.Header("Retry-After"), "4");
  EXPECT_EQ(r.Header("x-ms-ratelimit-remaining-subscription-reads"), "0");
  EXPECT_NE(r.body.find("\"SubscriptionRequestsThrottled\""), std::string::npos);
  auto tenant = Throttle::TooManyRequests(ApiSurface::kArm, d, "", "p1");
  EXPECT_NE(tenant.body.find("\"TooManyRequests\""), std::string::npos);
}

TEST(ThrottleTest, ConcurrentCallersNeverOverspend) {
  Throttle t(ThrottleMode::kRealistic,
             {.arm_read_capacity = 1000, .arm_read_refill_per_second = 1e-9});
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 500; ++j)
        if (t.Arm("GET", "s", "p").allowed) ++allowed;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed.load(), 1000);
}

TEST(ThrottleTest, GraphCostsFollowThePublishedTable) {
  EXPECT_EQ(GraphRequestCost(GraphRequest("GET", "/v1.0/users")), 2);
  EXPECT_EQ(GraphRequestCost(GraphRequest("GET", "/v1.0/users?$select=id,displayName")), 1);
  EXPECT_EQ(GraphRequestCost(GraphRequest("GET", "/v1.0/users?$expand=manager")), 3);
  EXPECT_EQ(GraphRequestCost(GraphRequest("GET", "/v1.0/users?$top=10")), 1);
  EXPECT_EQ(GraphRequestCost(GraphRequest("GET", "/v1.0/users?$top=999")), 2);
  EXPECT_EQ(GraphRequestCost(GraphRequest("GET", "/v1.0/groups")), 1);
  EXPECT_EQ(GraphRequestCost(GraphRequest("GET", "/v1.0/groups/abc/members")), 3);
  EXPECT_EQ(GraphRequestCost(GraphRequest("GET", "/v1.0/groups/abc/transitiveMembers")), 5);
  EXPECT_EQ(GraphRequestCost(GraphRequest("GET", "/beta/servicePrincipals/x/appRoleAssignments")),
            2);
  EXPECT_EQ(GraphRequestCost(GraphRequest("GET", "/v1.0/users/u1/memberOf")), 2);
  EXPECT_EQ(GraphRequestCost(GraphRequest("POST", "/v1.0/directoryObjects/getByIds")), 3);
  EXPECT_EQ(GraphRequestCost(GraphRequest("GET", "/v1.0/groups?$select=id")), 1);  // never < 1

  auto batch = GraphRequest("POST", "/v1.0/$batch");
  batch.body = R"({"requests":[{"id":"1","method":"GET","url":"/users"},)"
               R"({"id":"2","method":"GET","url":"groups/g1/members"},)"
               R"({"id":"3","method":"get","url":"/groups?$expand=members"}]})";
  EXPECT_EQ(GraphRequestCost(batch), 2 + 3 + 2);
  batch.body = "not json";
  EXPECT_EQ(GraphRequestCost(batch), 1);
}

TEST(ThrottleTest, ParseModeAndFormatHms) {
  EXPECT_EQ(ParseThrottleMode("Realistic").value(), ThrottleMode::kRealistic);
  EXPECT_EQ(ParseThrottleMode("off").value(), ThrottleMode::kOff);
  auto bad = ParseThrottleMode("sometimes");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--throttle"), std::string::npos);
  EXPECT_EQ(FormatHms(seconds(3725)), "01:02:05");
}

}  // namespace
}  // namespace atg::sim
