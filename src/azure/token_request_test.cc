#include "azure/token_request.h"

#include <gtest/gtest.h>

#include "azure/fake_transport.h"
#include "azure/token_response.h"
#include "common/strings.h"

namespace atg::azure {
namespace {

// Deliberately not registered with RegisterSecret: the scrubbing here must not depend on it.
constexpr char kSecret[] = "Unregistered~Secret/Value+42";
constexpr char kAssertion[] = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJl";

class TokenRequestTest : public ::testing::Test {
 protected:
  ClientCredentialsRequest Request() {
    ClientCredentialsRequest r;
    r.authority = "https://login.example.test";
    r.tenant_id = "tenant 1";
    r.client_id = "client&1";
    r.scope = "https://management.azure.com";
    return r;
  }
  Result<AccessToken> Send(const ClientCredentialsRequest& r) {
    AzureEndpoints endpoints;
    endpoints.authority = r.authority;
    RetryOptions retry;
    retry.max_attempts = 1;
    auto client = NewTokenClient(transport_, endpoints, retry, &clock_);
    return RequestClientCredentialsToken(*client, &clock_, r);
  }

  FakeClock clock_;
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
};

TEST(ScopeForAudienceTest, AppendsDefaultOnce) {
  EXPECT_EQ(ScopeForAudience("https://management.azure.com"),
            "https://management.azure.com/.default");
  EXPECT_EQ(ScopeForAudience("https://management.azure.com/"),
            "https://management.azure.com/.default");
  EXPECT_EQ(ScopeForAudience("https://graph.microsoft.com/.default"),
            "https://graph.microsoft.com/.default");
  EXPECT_EQ(ScopeForAudience(" api://my-app/.DEFAULT "), "api://my-app/.DEFAULT");
  EXPECT_EQ(ScopeForAudience("api://0a1b"), "api://0a1b/.default");
  // The two directions agree.
  EXPECT_EQ(ResourceForScope(ScopeForAudience("https://vault.azure.net")),
            "https://vault.azure.net");
}

TEST_F(TokenRequestTest, FormEncodesEveryValueAndTheScopeComesFromTheAudience) {
  ClientCredentialsRequest r = Request();
  r.client_secret = kSecret;
  EXPECT_EQ(ClientCredentialsForm(r),
            "grant_type=client_credentials&client_id=client%261&client_secret=" +
                UrlEncode(kSecret) + "&scope=https%3A%2F%2Fmanagement.azure.com%2F.default");
  EXPECT_NE(UrlEncode(kSecret), kSecret);  // '~', '/' and '+' are encoded, or the test is moot

  r.client_secret.clear();
  r.client_assertion = kAssertion;
  r.scope = "https://graph.microsoft.com/.default";
  EXPECT_EQ(ClientCredentialsForm(r),
            "grant_type=client_credentials&client_id=client%261&client_assertion_type="
            "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" +
                UrlEncode(kAssertion) + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
  EXPECT_EQ(TokenEndpointUrl(r.authority, r.tenant_id),
            "https://login.example.test/tenant%201/oauth2/v2.0/token");
}

TEST_F(TokenRequestTest, PostsTheFormAndReadsTheToken) {
  transport_->EnqueueStatus(200, R"({"access_token":"tok-1","expires_in":600})");
  ClientCredentialsRequest r = Request();
  r.client_assertion = kAssertion;
  auto token = Send(r);
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(token->token, "tok-1");
  EXPECT_EQ(token->expires_on, clock_.WallNow() + std::chrono::seconds(600));
  auto sent = transport_->Requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].url, "https://login.example.test/tenant%201/oauth2/v2.0/token");
  EXPECT_EQ(sent[0].headers.Get("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_FALSE(sent[0].headers.Has("Authorization"));
  EXPECT_EQ(sent[0].body, ClientCredentialsForm(r));
}

TEST_F(TokenRequestTest, ErrorsNeverHoldTheSecretOrTheAssertion) {
  // A proxy that reflects the form into its error page, raw and encoded.
  transport_->SetHandler([](const HttpClientRequest& req) {
    return FakeTransport::Response(
        400, R"({"error":"invalid_client","error_description":"AADSTS7000215: bad )" +
                 UrlDecode(req.body) + " / " + req.body + R"("})");
  });
  for (bool assertion : {false, true}) {
    ClientCredentialsRequest r = Request();
    (assertion ? r.client_assertion : r.client_secret) = assertion ? kAssertion : kSecret;
    const std::string proof = assertion ? kAssertion : kSecret;
    auto token = Send(r);
    ASSERT_FALSE(token.ok());
    const Status& s = token.status();
    EXPECT_EQ(s.code(), StatusCode::kUnauthenticated) << s.ToString();
    EXPECT_TRUE(
        s.message().starts_with("getting a token for scope "
                                "https://management.azure.com/.default as client client&1 "
                                "in tenant tenant 1: "))
        << s.message();
    EXPECT_NE(s.message().find("AADSTS7000215"), std::string::npos) << s.message();
    EXPECT_EQ(s.message().find(proof), std::string::npos) << s.message();
    EXPECT_EQ(s.message().find(UrlEncode(proof)), std::string::npos) << s.message();
  }

  // A transport error that quotes the secret.
  transport_->SetHandler([](const HttpClientRequest&) -> Result<HttpClientResponse> {
    return Status::Unavailable(std::string("connection reset after ") + kSecret);
  });
  ClientCredentialsRequest r = Request();
  r.client_secret = kSecret;
  auto token = Send(r);
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(token.status().message().find(kSecret), std::string::npos) << token.status().message();
}

TEST_F(TokenRequestTest, NeedsExactlyOneProof) {
  ClientCredentialsRequest r = Request();
  EXPECT_EQ(Send(r).status().code(), StatusCode::kInvalidArgument);
  r.client_secret = kSecret;
  r.client_assertion = kAssertion;
  auto both = Send(r);
  EXPECT_EQ(both.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(both.status().message().find(kSecret), std::string::npos);
  EXPECT_EQ(transport_->RequestCount(), 0u);
}

TEST(ClientCredentialsSettingsTest, NameTheMissingVariable) {
  std::string authority = "https://login.example.test/";
  Status s = CheckClientCredentialsSettings("test credential", " ", "c", &authority);
  EXPECT_NE(s.message().find("AZURE_TENANT_ID"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("test credential"), std::string::npos) << s.message();
  s = CheckClientCredentialsSettings("test credential", "t", "", &authority);
  EXPECT_NE(s.message().find("AZURE_CLIENT_ID"), std::string::npos) << s.message();
  ASSERT_TRUE(CheckClientCredentialsSettings("test credential", "t", "c", &authority).ok());
  EXPECT_EQ(authority, "https://login.example.test");
  authority = "not a url";
  s = CheckClientCredentialsSettings("test credential", "t", "c", &authority);
  EXPECT_NE(s.message().find("AZURE_AUTHORITY_HOST"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace atg::azure
