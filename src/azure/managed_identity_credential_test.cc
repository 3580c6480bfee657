#include "azure/managed_identity_credential.h"

#include <gtest/gtest.h>

#include "azure/fake_transport.h"
#include "common/strings.h"

namespace atg::azure {
namespace {

constexpr char kHeader[] = "identity-header-secret-0123456789";

class ManagedIdentityCredentialTest : public ::testing::Test {
 protected:
  std::unique_ptr<ManagedIdentityCredential> Make(ManagedIdentityCredentialOptions o) {
    o.retry.max_attempts = 1;
    auto c = ManagedIdentityCredential::Create(o, transport_, &clock_);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(c.value()) : nullptr;
  }
  FakeClock clock_;
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
};

TEST_F(ManagedIdentityCredentialTest, AppServiceFormComesFirst) {
  transport_->SetHandler([&](const HttpClientRequest&) {
    return FakeTransport::Response(
        200, R"({"access_token":"mi-app-token","expires_on":")" +
                 std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                    clock_.WallNow().time_since_epoch())
                                    .count() +
                                3600) +
                 R"(","resource":"https://management.azure.com","token_type":"Bearer"})");
  });
  ManagedIdentityCredentialOptions o;
  o.identity_endpoint = "http://127.0.0.1:41741/msi/token";
  o.identity_header = kHeader;
  o.imds_endpoint = "http://imds.example.test";
  o.client_id = "uami-1";
  auto cred = Make(o);
  EXPECT_TRUE(cred->uses_app_service());
  EXPECT_EQ(cred->Source().find(kHeader), std::string::npos);
  auto t = cred->GetToken("https://management.azure.com/.default");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->token, "mi-app-token");
  EXPECT_EQ(t->expires_on, clock_.WallNow() + std::chrono::hours(1));
  auto r = transport_->Requests();
  ASSERT_EQ(r.size(), 1u);  // no IMDS probe
  EXPECT_EQ(r[0].method, "GET");
  EXPECT_EQ(r[0].url, "http://127.0.0.1:41741/msi/token?api-version=2019-08-01&resource=" +
                          UrlEncode("https://management.azure.com") + "&client_id=uami-1");
  EXPECT_EQ(r[0].headers.Get("X-IDENTITY-HEADER"), kHeader);
  // Cached per audience.
  EXPECT_TRUE(cred->GetToken("https://management.azure.com/.default").ok());
  EXPECT_EQ(transport_->RequestCount(), 1u);
}

TEST_F(ManagedIdentityCredentialTest, WrongIdentityHeaderIsUnauthenticatedWithoutTheHeader) {
  transport_->SetHandler([](const HttpClientRequest&) {
    return FakeTransport::Response(401, R"({"statusCode":401,"message":"bad header"})");
  });
  ManagedIdentityCredentialOptions o;
  o.identity_endpoint = "http://127.0.0.1:41741/msi/token";
  o.identity_header = kHeader;
  auto t = Make(o)->GetToken("https://management.azure.com/.default");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(t.status().message().find("IDENTITY_HEADER"), std::string::npos);
  EXPECT_EQ(t.status().message().find(kHeader), std::string::npos);
}

TEST_F(ManagedIdentityCredentialTest, ImdsIsProbedOnceWithAShortTimeoutThenAskedWithMetadata) {
  transport_->SetHandler([](const HttpClientRequest& r) {
    if (!r.headers.Has("Metadata")) {
      return FakeTransport::Response(400, R"({"error":"invalid_request"})");
    }
    return FakeTransport::Response(
        200, R"({"access_token":"imds-token","expires_in":"86399","expires_on":"1"})");
  });
  ManagedIdentityCredentialOptions o;
  o.imds_endpoint = "http://imds.example.test/";
  o.identity_endpoint = "http://only-endpoint.example.test/msi/token";  // no header: not used
  auto cred = Make(o);
  EXPECT_FALSE(cred->uses_app_service());
  auto t = cred->GetToken("https://graph.microsoft.com/.default");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->expires_on, clock_.WallNow() + std::chrono::seconds(86399));
  ASSERT_TRUE(cred->GetToken("https://vault.azure.net/.default").ok());
  auto r = transport_->Requests();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].url, "http://imds.example.test/metadata/identity/oauth2/token");
  EXPECT_EQ(r[0].timeout, std::chrono::milliseconds(1000));
  EXPECT_EQ(r[1].url,
            "http://imds.example.test/metadata/identity/oauth2/token?api-version=2018-02-01&"
            "resource=" +
                UrlEncode("https://graph.microsoft.com"));
  EXPECT_EQ(r[1].headers.Get("Metadata"), "true");
  EXPECT_NE(r[2].url.find("resource=" + UrlEncode("https://vault.azure.net")), std::string::npos);
}

TEST_F(ManagedIdentityCredentialTest, NoImdsIsAFailedPreconditionAndIsNotProbedAgain) {
  transport_->SetHandler([](const HttpClientRequest&) -> Result<HttpClientResponse> {
    return Status::DeadlineExceeded("GET http://169.254.169.254/...: timed out");
  });
  auto cred = Make({});
  auto t = cred->GetToken("https://management.azure.com/.default");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(t.status().message().find("IMDS"), std::string::npos);
  EXPECT_NE(t.status().message().find("1000 ms"), std::string::npos);
  EXPECT_FALSE(cred->GetToken("https://graph.microsoft.com/.default").ok());
  EXPECT_EQ(transport_->RequestCount(), 1u);
}

TEST_F(ManagedIdentityCredentialTest, NoIdentityAssignedIsAFailedPrecondition) {
  transport_->SetHandler([](const HttpClientRequest&) {
    return FakeTransport::Response(
        400, R"({"error":"invalid_request","error_description":"Identity not found"})");
  });
  ManagedIdentityCredentialOptions o;
  o.client_id = "uami-missing";
  auto t = Make(o)->GetToken("https://management.azure.com/.default");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(t.status().message().find("uami-missing"), std::string::npos);
  EXPECT_NE(t.status().message().find("Identity not found"), std::string::npos);
}

TEST_F(ManagedIdentityCredentialTest, MalformedEndpointNamesTheVariable) {
  ManagedIdentityCredentialOptions o;
  o.imds_endpoint = "169.254.169.254";
  auto c = ManagedIdentityCredential::Create(o, transport_, &clock_);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("ATG_IMDS_ENDPOINT"), std::string::npos);
  o = {};
  o.identity_endpoint = "not a url";
  o.identity_header = kHeader;
  c = ManagedIdentityCredential::Create(o, transport_, &clock_);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("IDENTITY_ENDPOINT"), std::string::npos);
}

}  // namespace
}  // namespace atg::azure
