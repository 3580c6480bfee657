#include "azure/client_secret_credential.h"

#include <gtest/gtest.h>

#include "azure/fake_transport.h"
#include "common/strings.h"

namespace atg::azure {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kSecret[] = "Sup3r~Secret.Value_0123456789";

class ClientSecretCredentialTest : public ::testing::Test {
 protected:
  ClientSecretCredentialOptions Options() {
    ClientSecretCredentialOptions o;
    o.tenant_id = "tenant-1";
    o.client_id = "client-1";
    o.client_secret = kSecret;
    o.authority = "https://login.example.test/";
    return o;
  }
  std::unique_ptr<ClientSecretCredential> Make() {
    auto c = ClientSecretCredential::Create(Options(), transport_, &clock_);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(c.value()) : nullptr;
  }
  // Answers every token request with a fresh token "token-<n>" valid for an hour.
  void ServeTokens() {
    transport_->SetHandler([this](const HttpClientRequest&) {
      ++issued_;
      return FakeTransport::Response(
          200, R"({"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,)"
               R"("access_token":"token-number-)" +
                   std::to_string(issued_) + R"("})");
    });
  }

  FakeClock clock_;
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  int issued_ = 0;
};

TEST_F(ClientSecretCredentialTest, PostsClientCredentialsForm) {
  ServeTokens();
  auto cred = Make();
  auto t = cred->GetToken("https://management.azure.com/.default");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->token, "token-number-1");
  EXPECT_EQ(t->expires_on, clock_.WallNow() + seconds(3599));
  auto requests = transport_->Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].url, "https://login.example.test/tenant-1/oauth2/v2.0/token");
  EXPECT_EQ(requests[0].headers.Get("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_FALSE(requests[0].headers.Has("Authorization"));
  EXPECT_EQ(requests[0].body,
            "grant_type=client_credentials&client_id=client-1&client_secret=" + UrlEncode(kSecret) +
                "&scope=" + UrlEncode("https://management.azure.com/.default"));
}

TEST_F(ClientSecretCredentialTest, CachesPerScopeAndRefreshesFiveMinutesBeforeExpiry) {
  ServeTokens();
  auto cred = Make();
  const std::string arm = "https://management.azure.com/.default";
  const std::string graph = "https://graph.microsoft.com/.default";
  EXPECT_EQ(cred->GetToken(arm)->token, "token-number-1");
  EXPECT_EQ(cred->GetToken(arm)->token, "token-number-1");
  EXPECT_EQ(cred->GetToken(graph)->token, "token-number-2");
  EXPECT_EQ(transport_->RequestCount(), 2u);
  // 54 minutes on, the ARM token still has more than five minutes left.
  clock_.Advance(minutes(54));
  EXPECT_EQ(cred->GetToken(arm)->token, "token-number-1");
  // Past 55 minutes it is refreshed.
  clock_.Advance(seconds(60));
  EXPECT_EQ(cred->GetToken(arm)->token, "token-number-3");
  EXPECT_EQ(cred->GetToken(arm)->token, "token-number-3");
  EXPECT_EQ(transport_->RequestCount(), 3u);
}

TEST_F(ClientSecretCredentialTest, FailedRefreshFallsBackToTheStillValidToken) {
  ServeTokens();
  auto cred = Make();
  const std::string arm = "https://management.azure.com/.default";
  EXPECT_EQ(cred->GetToken(arm)->token, "token-number-1");
  clock_.Advance(minutes(57));
  transport_->SetHandler([](const HttpClientRequest&) -> Result<HttpClientResponse> {
    return Status::Unavailable("connection refused");
  });
  auto t = cred->GetToken(arm);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->token, "token-number-1");
  clock_.Advance(minutes(5));  // now expired
  EXPECT_FALSE(cred->GetToken(arm).ok());
}

TEST_F(ClientSecretCredentialTest, BadSecretIsUnauthenticatedAndNeverEchoed) {
  // Entra ID's answer to a wrong secret (400 invalid_client).
  transport_->SetHandler([](const HttpClientRequest& r) {
    return FakeTransport::Response(
        401,
        R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret )"
        R"(provided. Trace ID: x","error_codes":[7000215]})");
  });
  auto cred = Make();
  auto t = cred->GetToken("https://management.azure.com/.default");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kUnauthenticated);
  const std::string& m = t.status().message();
  EXPECT_NE(m.find("invalid_client"), std::string::npos) << m;
  EXPECT_NE(m.find("AADSTS7000215"), std::string::npos) << m;
  EXPECT_NE(m.find("client-1"), std::string::npos) << m;
  EXPECT_EQ(m.find(kSecret), std::string::npos) << m;
  EXPECT_EQ(m.find(UrlEncode(kSecret)), std::string::npos) << m;
}

TEST_F(ClientSecretCredentialTest, NoSecretInAnyErrorEvenWhenTheServerEchoesIt) {
  // A misbehaving proxy that reflects the request body into its error page, then a network
  // error, then a body without a token.
  transport_->SetHandler([](const HttpClientRequest& r) {
    return FakeTransport::Response(400, "Bad request: " + r.body);
  });
  auto cred = Make();
  std::vector<Status> errors;
  errors.push_back(cred->GetToken("scope-a").status());
  transport_->SetHandler([](const HttpClientRequest&) -> Result<HttpClientResponse> {
    return Status::Unavailable(std::string("refused while sending ") + kSecret);
  });
  errors.push_back(cred->GetToken("scope-b").status());
  transport_->SetHandler([](const HttpClientRequest&) {
    return FakeTransport::Response(200, R"({"nothing":"here"})");
  });
  errors.push_back(cred->GetToken("scope-c").status());
  for (const Status& s : errors) {
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(s.message().find(kSecret), std::string::npos) << s.message();
    EXPECT_EQ(s.message().find(UrlEncode(kSecret)), std::string::npos) << s.message();
  }
}

TEST_F(ClientSecretCredentialTest, MissingSettingsNameTheVariable) {
  auto o = Options();
  o.tenant_id = "";
  auto c = ClientSecretCredential::Create(o, transport_, &clock_);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("AZURE_TENANT_ID"), std::string::npos);
  o = Options();
  o.client_secret = "";
  c = ClientSecretCredential::Create(o, transport_, &clock_);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("AZURE_CLIENT_SECRET"), std::string::npos);
  o = Options();
  o.authority = "login.microsoftonline.com";
  c = ClientSecretCredential::Create(o, transport_, &clock_);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("AZURE_AUTHORITY_HOST"), std::string::npos);
}

TEST_F(ClientSecretCredentialTest, TokenEndpointThrottlingIsRetried) {
  int calls = 0;
  transport_->SetHandler([&](const HttpClientRequest&) {
    if (++calls == 1) return FakeTransport::Response(429, "{}", HttpHeaders{{"Retry-After", "2"}});
    return FakeTransport::Response(200, R"({"access_token":"abcdefgh","expires_in":"3600"})");
  });
  auto cred = Make();
  auto t = cred->GetToken("s");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->expires_on, clock_.WallNow() - seconds(2) + seconds(3600));
  EXPECT_EQ(clock_.Sleeps(), std::vector<Duration>{seconds(2)});
}

}  // namespace
}  // namespace atg::azure
