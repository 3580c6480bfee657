// The whole outbound stack over real sockets: AzureHttpClient + ClientSecretCredential +
// CurlTransport against a loopback server that checks the bearer token, throttles once and pages.
#include "azure/azure_stack.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "azure/client_secret_credential.h"
#include "azure/http_client.h"
#include "azure/paging.h"
#include "azure/test_http_server.h"

namespace atg::azure {
namespace {

constexpr char kToken[] = "loopback-access-token-0123456789";
constexpr char kSecret[] = "loopback-client-secret-value";

std::string Respond(int status, const std::string& body, const std::string& headers = "") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" +
         headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

class AzureStackTest : public ::testing::Test {
 protected:
  AzureStackTest()
      : server_([this](const std::string& head, const std::string& body) {
          return Handle(head, body);
        }) {}

  std::string Handle(const std::string& head, const std::string& body) {
    std::string line = head.substr(0, head.find("\r\n"));
    if (line.starts_with("POST /tenant-1/oauth2/v2.0/token ")) {
      ++token_requests_;
      if (body.find("grant_type=client_credentials") == std::string::npos ||
          body.find(std::string("client_secret=") + kSecret) == std::string::npos) {
        return Respond(401, R"({"error":"invalid_client","error_description":"AADSTS7000215"})");
      }
      return Respond(200, std::string(R"({"token_type":"Bearer","expires_in":3599,)") +
                              R"("access_token":")" + kToken + R"("})");
    }
    if (head.find(std::string("Authorization: Bearer ") + kToken) == std::string::npos) {
      return Respond(401, R"({"error":{"code":"InvalidAuthenticationToken","message":"no"}})");
    }
    if (line.starts_with("GET /subscriptions/sub-1/resources?api-version=2021-04-01 ")) {
      if (++first_page_calls_ == 1) {
        return Respond(429, R"({"error":{"code":"TooManyRequests","message":"slow down"}})",
                       "x-ms-retry-after-ms: 20\r\n");
      }
      return Respond(200,
                     R"({"value":[{"id":"a"},{"id":"b"}],"nextLink":")" + server_.base() +
                         R"(/subscriptions/sub-1/resources?api-version=2021-04-01&)"
                         R"($skiptoken=2"})",
                     "x-ms-ratelimit-remaining-subscription-reads: 249\r\n");
    }
    if (line.starts_with(
            "GET /subscriptions/sub-1/resources?api-version=2021-04-01&$skiptoken=2 ")) {
      return Respond(200, R"({"value":[{"id":"c"}]})");
    }
    return Respond(200, R"({"value":[]})");
  }

  std::unique_ptr<AzureHttpClient> MakeClient() {
    auto endpoints =
        AzureEndpoints::FromUrls(server_.base(), server_.base(), server_.base(), server_.base());
    EXPECT_TRUE(endpoints.ok());
    CurlTransportOptions o;
    o.http_proxy = "";
    o.no_proxy = "";
    auto transport = std::make_shared<CurlTransport>(o);
    ClientSecretCredentialOptions c;
    c.tenant_id = "tenant-1";
    c.client_id = "client-1";
    c.client_secret = kSecret;
    c.authority = server_.base();
    auto credential = ClientSecretCredential::Create(c, transport);
    EXPECT_TRUE(credential.ok());
    AzureClientOptions options;
    options.max_concurrency = 4;
    return std::make_unique<AzureHttpClient>(
        transport, std::shared_ptr<TokenCredential>(std::move(credential.value())), *endpoints,
        options);
  }

  std::atomic<int> token_requests_{0};
  std::atomic<int> first_page_calls_{0};
  LoopbackServer server_;
};

TEST_F(AzureStackTest, AuthenticatesRetriesAThrottleAndPages) {
  auto client = MakeClient();
  std::vector<std::string> ids;
  auto stats = ForEachArmPage(
      *client, server_.base() + "/subscriptions/sub-1/resources?api-version=2021-04-01",
      [&](const json::array& items, const json::object&) {
        for (const auto& v : items) ids.emplace_back(v.as_object().at("id").as_string());
        return true;
      });
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(token_requests_.load(), 1);
  auto m = client->metrics().Snapshot();
  EXPECT_EQ(m.RequestsTo(ApiKind::kArm), 3u);
  EXPECT_EQ(m.throttled, 1u);
  EXPECT_GE(m.throttle_wait_seconds, 0.02);
  // Token + three ARM calls over one kept-alive connection.
  EXPECT_EQ(server_.accepted(), 1);
}

TEST_F(AzureStackTest, ManyThreadsShareOneClient) {
  auto client = MakeClient();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 250;
  std::atomic<int> ok{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Different subscriptions so the client-side ARM buckets do not pace the test.
        auto r = client->GetJson(server_.base() + "/subscriptions/s" + std::to_string(t) + "-" +
                                 std::to_string(i) + "/resourceGroups?api-version=1");
        if (r.ok()) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  EXPECT_EQ(token_requests_.load(), 1);
  EXPECT_LE(server_.accepted(), kThreads + 1);
  RecordProperty("requests_per_second", static_cast<int>(kThreads * kPerThread / seconds));
  std::printf("[ measure  ] %d authenticated requests in %.3f s (%.0f/s) over %d connections\n",
              kThreads * kPerThread, seconds, kThreads * kPerThread / seconds, server_.accepted());
}

TEST_F(AzureStackTest, WrongSecretIsUnauthenticatedWithoutTheSecret) {
  auto endpoints =
      AzureEndpoints::FromUrls(server_.base(), server_.base(), server_.base(), server_.base());
  CurlTransportOptions o;
  o.http_proxy = "";
  auto transport = std::make_shared<CurlTransport>(o);
  ClientSecretCredentialOptions c;
  c.tenant_id = "tenant-1";
  c.client_id = "client-1";
  c.client_secret = "wrong-secret-value-42";
  c.authority = server_.base();
  auto credential = ClientSecretCredential::Create(c, transport);
  ASSERT_TRUE(credential.ok());
  AzureHttpClient client(transport, std::shared_ptr<TokenCredential>(std::move(*credential)),
                         *endpoints);
  auto r = client.GetJson(server_.base() + "/subscriptions?api-version=2021-01-01");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(r.status().message().find("AADSTS7000215"), std::string::npos);
  EXPECT_EQ(r.status().message().find("wrong-secret-value-42"), std::string::npos);
}

}  // namespace
}  // namespace atg::azure

namespace atg::azure {
namespace {

TEST(NewAzureStackTest, BuildsFromSettingsAndTalksToTheServer) {
  std::atomic<int> calls{0};
  LoopbackServer server([&](const std::string& head, const std::string&) {
    ++calls;
    if (head.starts_with("POST /t-1/oauth2/v2.0/token ")) {
      return Respond(200, R"({"access_token":"stack-token-abcdef","expires_in":3600})");
    }
    if (head.find("Authorization: Bearer stack-token-abcdef") == std::string::npos) {
      return Respond(401, R"({"error":{"code":"InvalidAuthenticationToken","message":"no"}})");
    }
    return Respond(200, R"({"value":[{"subscriptionId":"s"}]})");
  });
  Settings settings = Settings::FromMaps({{"ATG_ARM_ENDPOINT", server.base()},
                                          {"ATG_GRAPH_ENDPOINT", server.base()},
                                          {"AZURE_AUTHORITY_HOST", server.base()},
                                          {"AZURE_TENANT_ID", "t-1"},
                                          {"AZURE_CLIENT_ID", "c-1"},
                                          {"AZURE_CLIENT_SECRET", "stack-secret-value"}},
                                         {});
  CurlTransportOptions direct;
  direct.http_proxy = "";
  auto stack = NewAzureStack(settings, {}, direct);
  ASSERT_TRUE(stack.ok()) << stack.status().ToString();
  auto r = stack->client->GetJson(server.base() + "/subscriptions?api-version=2021-01-01");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(calls.load(), 2);
}

TEST(NewAzureStackTest, MissingCredentialSettingsNameTheVariable) {
  auto stack = NewAzureStack(Settings::FromMaps(
      {{"AZURE_TENANT_ID", "t"}, {"AZURE_CLIENT_SECRET", "a-secret-value-xyz"}}, {}));
  ASSERT_FALSE(stack.ok());
  EXPECT_NE(stack.status().message().find("AZURE_CLIENT_ID"), std::string::npos);
  EXPECT_EQ(stack.status().message().find("a-secret-value-xyz"), std::string::npos);
  auto bad = NewAzureStack(Settings::FromMaps({{"ATG_ARM_ENDPOINT", "nope"}}, {}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("ATG_ARM_ENDPOINT"), std::string::npos);
}

}  // namespace
}  // namespace atg::azure
