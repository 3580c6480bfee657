#include "azure/http_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "azure/fake_transport.h"

namespace atg::azure {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

AzureRequest Req(std::string url, std::string method = "GET") {
  AzureRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  return r;
}

constexpr char kSub[] = "11111111-2222-3333-4444-555555555555";

class StaticCredential : public TokenCredential {
 public:
  Result<AccessToken> GetToken(const std::string& scope) override {
    std::lock_guard lock(mu_);
    scopes.push_back(scope);
    return AccessToken{"token-for-" + scope, WallTime::max()};
  }
  std::mutex mu_;
  std::vector<std::string> scopes;
};

class HttpClientTest : public ::testing::Test {
 protected:
  std::unique_ptr<AzureHttpClient> MakeClient(AzureClientOptions options = {}) {
    options.retry.seed = 1;
    return std::make_unique<AzureHttpClient>(transport_, credential_, AzureEndpoints(), options,
                                             &clock_);
  }
  static AzureClientOptions NoRateLimits() {
    AzureClientOptions o;
    o.rate_limits.enabled = false;
    return o;
  }
  std::string ArmUrl(std::string_view rest = "/resources?api-version=2021-04-01") {
    return std::string("https://management.azure.com/subscriptions/") + kSub + std::string(rest);
  }

  FakeClock clock_;
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  std::shared_ptr<StaticCredential> credential_ = std::make_shared<StaticCredential>();
};

TEST_F(HttpClientTest, AddsBearerTokenForTheServiceAudience) {
  auto client = MakeClient();
  transport_->EnqueueStatus(200, R"({"value":[]})");
  transport_->EnqueueStatus(200, R"({"value":[]})");
  ASSERT_TRUE(client->GetJson(ArmUrl()).ok());
  ASSERT_TRUE(client->GetJson("https://graph.microsoft.com/v1.0/users").ok());
  auto requests = transport_->Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].headers.Get("authorization"),
            "Bearer token-for-https://management.azure.com/.default");
  EXPECT_EQ(requests[1].headers.Get("Authorization"),
            "Bearer token-for-https://graph.microsoft.com/.default");
  EXPECT_EQ(requests[0].headers.Get("Accept"), "application/json");
}

TEST_F(HttpClientTest, ThrottleStormWithoutRetryAfterBacksOffAndSucceeds) {
  auto client = MakeClient(NoRateLimits());
  for (int i = 0; i < 4; ++i) {
    transport_->EnqueueStatus(429, R"({"error":{"code":"TooManyRequests","message":"slow"}})");
  }
  transport_->EnqueueStatus(200, R"({"ok":true})");
  auto r = client->Send(Req("https://graph.microsoft.com/v1.0/users"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->attempts, 5);
  auto sleeps = clock_.Sleeps();
  ASSERT_EQ(sleeps.size(), 4u);
  for (Duration d : sleeps) EXPECT_GE(d, milliseconds(500));  // never a zero wait on a 429
  EXPECT_GE(sleeps[3], sleeps[0]);
  EXPECT_EQ(r->throttle_wait, clock_.TotalSlept());
  auto m = client->metrics().Snapshot();
  EXPECT_EQ(m.throttled, 4u);
  EXPECT_EQ(m.retries, 4u);
  EXPECT_EQ(m.RequestsTo(ApiKind::kGraph), 5u);
  EXPECT_NEAR(m.throttle_wait_seconds, ToSeconds(clock_.TotalSlept()), 1e-6);
}

TEST_F(HttpClientTest, RetryAfterSecondsIsHonoured) {
  auto client = MakeClient(NoRateLimits());
  transport_->EnqueueStatus(429, "{}", HttpHeaders{{"Retry-After", "7"}});
  transport_->EnqueueStatus(200);
  ASSERT_TRUE(client->Send(Req(ArmUrl())).ok());
  EXPECT_EQ(clock_.Sleeps(), std::vector<Duration>{seconds(7)});
}

TEST_F(HttpClientTest, RetryAfterHttpDateIsHonoured) {
  auto client = MakeClient(NoRateLimits());
  // The fake clock starts at Thu, 01 Jan 2026 00:00:00 GMT.
  transport_->EnqueueStatus(503, "{}",
                            HttpHeaders{{"Retry-After", "Thu, 01 Jan 2026 00:00:12 GMT"}});
  transport_->EnqueueStatus(200);
  ASSERT_TRUE(client->Send(Req(ArmUrl())).ok());
  EXPECT_EQ(clock_.Sleeps(), std::vector<Duration>{seconds(12)});
}

TEST_F(HttpClientTest, GivesUpAfterMaxAttemptsWithAClearError) {
  AzureClientOptions o = NoRateLimits();
  o.retry.max_attempts = 4;
  auto client = MakeClient(o);
  transport_->SetHandler([](const HttpClientRequest&) {
    return FakeTransport::Response(
        503, R"({"error":{"code":"ServiceUnavailable","message":"The service is busy."}})");
  });
  auto r = client->Send(Req(ArmUrl()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(transport_->RequestCount(), 4u);
  EXPECT_EQ(clock_.Sleeps().size(), 3u);
  const std::string& m = r.status().message();
  EXPECT_NE(m.find("HTTP 503"), std::string::npos) << m;
  EXPECT_NE(m.find("ServiceUnavailable"), std::string::npos) << m;
  EXPECT_NE(m.find("The service is busy"), std::string::npos) << m;
  EXPECT_NE(m.find("after 4 attempts"), std::string::npos) << m;
  EXPECT_NE(m.find(kSub), std::string::npos) << m;
}

TEST_F(HttpClientTest, ThrottledToTheEndIsResourceExhausted) {
  AzureClientOptions o = NoRateLimits();
  o.retry.max_attempts = 3;
  auto client = MakeClient(o);
  transport_->SetHandler([](const HttpClientRequest&) {
    return FakeTransport::Response(429, "{}", HttpHeaders{{"Retry-After", "1"}});
  });
  auto r = client->Send(Req(ArmUrl()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("after 3 attempts"), std::string::npos);
  EXPECT_EQ(client->metrics().Snapshot().throttled, 3u);
}

TEST_F(HttpClientTest, NonRetryableErrorsFailAtOnceAndMapToCodes) {
  auto client = MakeClient(NoRateLimits());
  struct Case {
    int status;
    StatusCode code;
  } cases[] = {{400, StatusCode::kInvalidArgument},    {401, StatusCode::kUnauthenticated},
               {403, StatusCode::kPermissionDenied},   {404, StatusCode::kNotFound},
               {409, StatusCode::kFailedPrecondition}, {501, StatusCode::kUnavailable}};
  for (const Case& c : cases) {
    transport_->EnqueueStatus(c.status, R"({"error":{"code":"Code)" + std::to_string(c.status) +
                                            R"(","message":"Azure says no."}})");
    auto r = client->Send(Req(ArmUrl()));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), c.code) << c.status;
    EXPECT_NE(r.status().message().find("Code" + std::to_string(c.status)), std::string::npos);
    EXPECT_NE(r.status().message().find("Azure says no"), std::string::npos);
  }
  EXPECT_EQ(transport_->RequestCount(), std::size(cases));
  EXPECT_TRUE(clock_.Sleeps().empty());
}

TEST_F(HttpClientTest, ErrorMessageMasksSecretQueryValues) {
  auto client = MakeClient(NoRateLimits());
  transport_->EnqueueStatus(
      403, R"({"error":{"code":"AuthorizationFailed","message":"The client 'x' does not have )"
           R"(authorization to perform action 'Microsoft.Storage/read'."}})");
  auto r = client->Send(
      Req("https://acct.blob.core.windows.net/c/blob?sv=2021&sig=SuperSecretSignature123"));
  ASSERT_FALSE(r.ok());
  const std::string& m = r.status().message();
  EXPECT_EQ(m.find("SuperSecretSignature123"), std::string::npos) << m;
  EXPECT_NE(m.find("sig=[REDACTED]"), std::string::npos) << m;
  EXPECT_NE(m.find("sv=2021"), std::string::npos) << m;
  EXPECT_NE(m.find("AuthorizationFailed"), std::string::npos) << m;
  EXPECT_NE(m.find("HTTP 403"), std::string::npos) << m;
}

TEST_F(HttpClientTest, GraphErrorEnvelope) {
  auto client = MakeClient(NoRateLimits());
  transport_->EnqueueStatus(403, R"({"error":{"code":"Authorization_RequestDenied",
      "message":"Insufficient privileges to complete the operation.",
      "innerError":{"date":"2026-01-01T00:00:00","request-id":"r"}}})");
  auto r = client->GetJson("https://graph.microsoft.com/v1.0/users");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(r.status().message().find("Authorization_RequestDenied: Insufficient privileges"),
            std::string::npos)
      << r.status().message();
}

TEST_F(HttpClientTest, NetworkErrorsAreRetried) {
  auto client = MakeClient(NoRateLimits());
  transport_->Enqueue(Status::Unavailable("connection refused"));
  transport_->Enqueue(Status::DeadlineExceeded("timed out"));
  transport_->EnqueueStatus(200, "{}");
  auto r = client->Send(Req(ArmUrl()));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->attempts, 3);
  EXPECT_EQ(clock_.Sleeps().size(), 2u);
  auto m = client->metrics().Snapshot();
  EXPECT_EQ(m.RequestsTo(ApiKind::kArm), 3u);
  EXPECT_EQ(m.throttled, 0u);
  uint64_t network_errors = 0;
  for (const auto& c : m.requests) network_errors += c.status == 0 ? c.count : 0;
  EXPECT_EQ(network_errors, 2u);
}

TEST_F(HttpClientTest, NetworkErrorAfterRetriesKeepsItsCode) {
  AzureClientOptions o = NoRateLimits();
  o.retry.max_attempts = 2;
  auto client = MakeClient(o);
  transport_->SetHandler([](const HttpClientRequest&) -> Result<HttpClientResponse> {
    return Status::Unavailable("GET x failed: connection refused");
  });
  auto r = client->Send(Req(ArmUrl()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("after 2 attempts"), std::string::npos);
}

TEST_F(HttpClientTest, ArmQuotaHeadersSlowTheNextRequestDown) {
  auto client = MakeClient();
  transport_->EnqueueStatus(200, "{}",
                            HttpHeaders{{"x-ms-ratelimit-remaining-subscription-reads", "0"}});
  transport_->EnqueueStatus(200, "{}");
  ASSERT_TRUE(client->Send(Req(ArmUrl())).ok());
  EXPECT_TRUE(clock_.Sleeps().empty());
  auto second = client->Send(Req(ArmUrl("/resourceGroups?api-version=1")));
  ASSERT_TRUE(second.ok());
  // One token at 25/s, waited before the request was sent.
  ASSERT_EQ(clock_.Sleeps().size(), 1u);
  EXPECT_NEAR(ToSeconds(clock_.Sleeps()[0]), 0.04, 1e-6);
  EXPECT_EQ(second->throttle_wait, clock_.Sleeps()[0]);
  // Another subscription is not slowed.
  transport_->EnqueueStatus(200, "{}");
  ASSERT_TRUE(client
                  ->Send(Req("https://management.azure.com/subscriptions/"
                             "other/resources"))
                  .ok());
  EXPECT_EQ(clock_.Sleeps().size(), 1u);
}

TEST_F(HttpClientTest, ResourceGraphRequestsUseThePrincipalBucket) {
  AzureClientOptions o;
  o.principal_id = "app-1";
  auto client = MakeClient(o);
  transport_->SetHandler(
      [](const HttpClientRequest&) { return FakeTransport::Response(200, R"({"data":[]})"); });
  const std::string url =
      "https://management.azure.com/providers/Microsoft.ResourceGraph/resources?api-version=2021";
  for (int i = 0; i < 15; ++i) ASSERT_TRUE(client->PostJson(url, json::object{}).ok());
  EXPECT_TRUE(clock_.Sleeps().empty());
  ASSERT_TRUE(client->PostJson(url, json::object{}).ok());
  ASSERT_EQ(clock_.Sleeps().size(), 1u);
  EXPECT_NEAR(ToSeconds(clock_.Sleeps()[0]), 1.0 / 3, 1e-6);
  EXPECT_EQ(client->metrics().Snapshot().RequestsTo(ApiKind::kResourceGraph), 16u);
  EXPECT_EQ(transport_->Requests()[0].headers.Get("Content-Type"), "application/json");
}

TEST_F(HttpClientTest, ConcurrencyLimitIsRespected) {
  AzureClientOptions o = NoRateLimits();
  o.max_concurrency = 3;
  auto client = MakeClient(o);
  std::atomic<int> in_flight{0};
  std::atomic<int> peak{0};
  transport_->SetHandler([&](const HttpClientRequest&) {
    int now = ++in_flight;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(milliseconds(3));
    --in_flight;
    return FakeTransport::Response(200, "{}");
  });
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (!client->Send(Req(ArmUrl())).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(transport_->RequestCount(), 80u);
  EXPECT_LE(peak.load(), 3);
  EXPECT_GE(peak.load(), 2);  // the limit, not the test, is what held concurrency down
}

TEST_F(HttpClientTest, CancelledBeforeSending) {
  auto client = MakeClient();
  std::stop_source stop;
  stop.request_stop();
  auto r = client->Send(Req(ArmUrl()), stop.get_token());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(transport_->RequestCount(), 0u);
}

TEST_F(HttpClientTest, CancelledDuringBackoff) {
  auto client = MakeClient(NoRateLimits());
  transport_->SetHandler([](const HttpClientRequest&) {
    return FakeTransport::Response(503, "{}", HttpHeaders{{"Retry-After", "30"}});
  });
  std::stop_source stop;
  clock_.SetSleepHook([&](Duration) { stop.request_stop(); });
  auto r = client->Send(Req(ArmUrl()), stop.get_token());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_NE(r.status().message().find("waiting to retry"), std::string::npos);
  EXPECT_EQ(transport_->RequestCount(), 1u);
}

TEST_F(HttpClientTest, CancelWakesAThreadWaitingForASlot) {
  AzureClientOptions o = NoRateLimits();
  o.max_concurrency = 1;
  auto client = MakeClient(o);
  std::atomic<bool> release{false};
  std::atomic<bool> entered{false};
  transport_->SetHandler([&](const HttpClientRequest&) {
    entered = true;
    while (!release) std::this_thread::sleep_for(milliseconds(1));
    return FakeTransport::Response(200, "{}");
  });
  std::thread holder([&] { (void)client->Send(Req(ArmUrl())); });
  while (!entered) std::this_thread::sleep_for(milliseconds(1));
  std::stop_source stop;
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(10));
    stop.request_stop();
  });
  auto r = client->Send(Req(ArmUrl()), stop.get_token());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  release = true;
  holder.join();
  canceller.join();
  EXPECT_EQ(transport_->RequestCount(), 1u);
}

TEST_F(HttpClientTest, IdentityRequestsCarryNoToken) {
  auto client = MakeClient();
  transport_->EnqueueStatus(200, "{}");
  ASSERT_TRUE(
      client->Send(Req("https://login.microsoftonline.com/t/oauth2/v2.0/token", "POST")).ok());
  EXPECT_FALSE(transport_->Requests()[0].headers.Has("Authorization"));
  EXPECT_TRUE(credential_->scopes.empty());
}

TEST_F(HttpClientTest, MissingCredentialIsAClearError) {
  AzureHttpClient client(transport_, nullptr, AzureEndpoints(), {}, &clock_);
  auto r = client.Send(Req(ArmUrl()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(transport_->RequestCount(), 0u);
}

TEST_F(HttpClientTest, NotJsonIsAnError) {
  auto client = MakeClient();
  transport_->EnqueueStatus(200, "<html>proxy login</html>");
  auto r = client->GetJson(ArmUrl());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not JSON"), std::string::npos);
}

}  // namespace
}  // namespace atg::azure
