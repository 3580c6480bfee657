#include "azure/workload_identity_credential.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "azure/fake_transport.h"
#include "common/strings.h"

namespace atg::azure {
namespace {

namespace fs = std::filesystem;

class WorkloadIdentityCredentialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("atg-wi-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    file_ = (dir_ / "token").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteToken(const std::string& text) { std::ofstream(file_) << text << "\n"; }

  std::unique_ptr<WorkloadIdentityCredential> Make() {
    WorkloadIdentityCredentialOptions o;
    o.tenant_id = "tenant-1";
    o.client_id = "client-1";
    o.token_file = file_;
    o.authority = "https://login.example.test";
    auto c = WorkloadIdentityCredential::Create(o, transport_, &clock_);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(c.value()) : nullptr;
  }

  fs::path dir_;
  std::string file_;
  FakeClock clock_;
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
};

TEST_F(WorkloadIdentityCredentialTest, SendsTheFileAsClientAssertionAndRereadsItOnRefresh) {
  int issued = 0;
  transport_->SetHandler([&](const HttpClientRequest&) {
    return FakeTransport::Response(200, R"({"access_token":"wi-token-)" + std::to_string(++issued) +
                                            R"(","expires_in":3600})");
  });
  WriteToken("eyJhbGciOi.first-assertion.sig");
  auto cred = Make();
  auto t = cred->GetToken("https://management.azure.com/.default");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->token, "wi-token-1");
  auto requests = transport_->Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].url, "https://login.example.test/tenant-1/oauth2/v2.0/token");
  EXPECT_EQ(requests[0].body,
            "grant_type=client_credentials&client_id=client-1&client_assertion_type=" +
                UrlEncode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
                "&client_assertion=" + UrlEncode("eyJhbGciOi.first-assertion.sig") +
                "&scope=" + UrlEncode("https://management.azure.com/.default"));
  // Cached: the file is not needed again until the refresh.
  EXPECT_EQ(cred->GetToken("https://management.azure.com/.default")->token, "wi-token-1");
  EXPECT_EQ(transport_->RequestCount(), 1u);
  // The platform rotates the file; the refresh presents the new one.
  WriteToken("eyJhbGciOi.second-assertion.sig");
  clock_.Advance(std::chrono::minutes(56));
  EXPECT_EQ(cred->GetToken("https://management.azure.com/.default")->token, "wi-token-2");
  requests = transport_->Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(requests[1].body.find(UrlEncode("eyJhbGciOi.second-assertion.sig")), std::string::npos);
}

TEST_F(WorkloadIdentityCredentialTest, MissingOrEmptyFileNamesItWithoutContent) {
  auto cred = Make();
  auto t = cred->GetToken("https://management.azure.com/.default");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(t.status().message().find(file_), std::string::npos);
  EXPECT_NE(t.status().message().find("AZURE_FEDERATED_TOKEN_FILE"), std::string::npos);
  WriteToken("   ");
  t = cred->GetToken("https://management.azure.com/.default");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("empty"), std::string::npos);
  EXPECT_EQ(transport_->RequestCount(), 0u);
}

TEST_F(WorkloadIdentityCredentialTest, RefusedAssertionIsUnauthenticatedWithoutTheAssertion) {
  const std::string assertion = "eyJhbGciOi.refused-assertion-value.sig";
  WriteToken(assertion);
  transport_->SetHandler([](const HttpClientRequest& r) {
    return FakeTransport::Response(
        401, R"({"error":"invalid_client","error_description":"AADSTS700213: No matching )"
             R"(federated identity record found. Request: )" +
                 r.body + R"("})");
  });
  auto cred = Make();
  auto t = cred->GetToken("https://management.azure.com/.default");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(t.status().message().find("AADSTS700213"), std::string::npos);
  EXPECT_EQ(t.status().message().find(assertion), std::string::npos) << t.status().message();
  EXPECT_EQ(t.status().message().find(UrlEncode(assertion)), std::string::npos);
}

TEST_F(WorkloadIdentityCredentialTest, MissingSettingsNameTheVariable) {
  WorkloadIdentityCredentialOptions o;
  o.tenant_id = "t";
  o.token_file = file_;
  auto c = WorkloadIdentityCredential::Create(o, transport_, &clock_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("AZURE_CLIENT_ID"), std::string::npos);
}

}  // namespace
}  // namespace atg::azure
