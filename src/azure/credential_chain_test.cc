#include "azure/credential_chain.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "azure/fake_transport.h"

namespace atg::azure {
namespace {

namespace fs = std::filesystem;

constexpr char kSecret[] = "chain-client-secret-value-42";
constexpr char kArm[] = "https://management.azure.com/.default";

class CredentialChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("atg-chain-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    // Entra ID answers client credentials; IMDS is absent unless a test says otherwise.
    transport_->SetHandler([this](const HttpClientRequest& r) -> Result<HttpClientResponse> {
      if (r.url.find("/oauth2/v2.0/token") != std::string::npos) {
        if (r.body.find("client_secret=wrong") != std::string::npos) {
          return FakeTransport::Response(
              401, R"({"error":"invalid_client","error_description":"AADSTS7000215: bad"})");
        }
        return FakeTransport::Response(200, R"({"access_token":"entra-token","expires_in":3600})");
      }
      if (r.url.find("/metadata/identity/") != std::string::npos) {
        if (!imds_) return Status::Unavailable("connection refused");
        imds_urls_.push_back(r.url);
        return FakeTransport::Response(200, R"({"access_token":"imds-token","expires_in":"3600"})");
      }
      return FakeTransport::Response(404);
    });
  }
  void TearDown() override { fs::remove_all(dir_); }

  Settings Make(std::map<std::string, std::string> env) {
    env.emplace("PATH", dir_.string());  // no az unless WriteAz
    env.emplace("ATG_IMDS_ENDPOINT", "http://imds.example.test");
    return Settings::FromMaps(env, {});
  }
  std::unique_ptr<DefaultCredentialChain> Chain(const Settings& s) {
    auto c = DefaultCredentialChain::FromSettings(s, transport_, &clock_);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(c.value()) : nullptr;
  }
  void WriteAz() {
    std::string path = (dir_ / "az").string();
    std::ofstream(path) << "#!/bin/sh\necho '{\"accessToken\":\"cli-token-value\","
                           "\"expires_on\":4102444800}'\n";
    ::chmod(path.c_str(), 0755);
  }
  static std::string Names(const std::vector<LinkReport>& r) {
    std::string s;
    for (const auto& l : r) s += l.name + ":" + std::string(LinkStatusName(l.status)) + " ";
    return s;
  }

  fs::path dir_;
  bool imds_ = false;
  std::vector<std::string> imds_urls_;
  FakeClock clock_;
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
};

TEST_F(CredentialChainTest, NothingConfiguredExplainsEveryLink) {
  auto chain = Chain(Make({}));
  auto before = chain->Describe();
  EXPECT_EQ(Names(before),
            "client_secret:skipped workload_identity:skipped managed_identity:not_tried "
            "azure_cli:skipped ");
  EXPECT_EQ(before[0].reason, "AZURE_CLIENT_SECRET is not set");
  EXPECT_EQ(before[1].reason, "AZURE_FEDERATED_TOKEN_FILE is not set");
  EXPECT_EQ(before[3].reason, "the Azure CLI (az) is not on PATH");
  EXPECT_FALSE(before[2].configured);
  auto t = chain->GetToken(kArm);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kUnauthenticated);
  for (const char* word : {"client_secret skipped", "workload_identity skipped",
                           "managed_identity failed", "IMDS", "azure_cli skipped", "az login"}) {
    EXPECT_NE(t.status().message().find(word), std::string::npos) << word;
  }
  auto after = chain->Describe();
  EXPECT_EQ(after[2].status, LinkStatus::kFailed);
  EXPECT_NE(after[2].reason.find("did not answer"), std::string::npos);
  EXPECT_EQ(chain->selected(), "");
}

TEST_F(CredentialChainTest, ClientSecretWinsAndIsRemembered) {
  WriteAz();
  imds_ = true;
  auto chain = Chain(Make(
      {{"AZURE_TENANT_ID", "t-1"}, {"AZURE_CLIENT_ID", "c-1"}, {"AZURE_CLIENT_SECRET", kSecret}}));
  auto t = chain->GetToken(kArm);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->token, "entra-token");
  EXPECT_EQ(chain->selected(), "client_secret");
  auto r = chain->Describe();
  EXPECT_EQ(Names(r),
            "client_secret:selected workload_identity:skipped managed_identity:skipped "
            "azure_cli:skipped ");
  EXPECT_TRUE(r[0].configured);
  EXPECT_NE(r[0].reason.find("c-1"), std::string::npos);
  EXPECT_NE(r[2].reason.find("not tried: client_secret was selected first"), std::string::npos);
  for (const auto& l : r) EXPECT_EQ(l.reason.find(kSecret), std::string::npos);
  // A second audience goes to the same link; nothing else is asked.
  ASSERT_TRUE(chain->GetToken("https://graph.microsoft.com/.default").ok());
  EXPECT_EQ(transport_->RequestCount(), 2u);
  EXPECT_TRUE(imds_urls_.empty());
}

TEST_F(CredentialChainTest, UseManagedIdentityPutsItFirst) {
  imds_ = true;
  auto chain = Chain(Make({{"ATG_USE_MANAGED_IDENTITY", "true"},
                           {"AZURE_TENANT_ID", "t-1"},
                           {"AZURE_CLIENT_ID", "c-1"},
                           {"AZURE_CLIENT_SECRET", kSecret}}));
  auto r = chain->Describe();
  EXPECT_EQ(r[0].name, "managed_identity");
  EXPECT_TRUE(r[0].configured);
  auto t = chain->GetToken(kArm);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->token, "imds-token");
  EXPECT_EQ(chain->selected(), "managed_identity");
  // AZURE_CLIENT_ID names the app of the client secret, not a user-assigned identity.
  ASSERT_FALSE(imds_urls_.empty());
  EXPECT_EQ(imds_urls_.back().find("client_id"), std::string::npos);
}

TEST_F(CredentialChainTest, ManagedIdentityUnavailableFallsThroughToTheNextLink) {
  auto chain = Chain(Make({{"ATG_USE_MANAGED_IDENTITY", "yes"},
                           {"AZURE_TENANT_ID", "t-1"},
                           {"AZURE_CLIENT_ID", "c-1"},
                           {"AZURE_CLIENT_SECRET", kSecret}}));
  auto t = chain->GetToken(kArm);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(chain->selected(), "client_secret");
  EXPECT_EQ(chain->Describe()[0].status, LinkStatus::kFailed);
}

TEST_F(CredentialChainTest, UserAssignedIdentityFromAzureClientIdWhenNoAppIsConfigured) {
  imds_ = true;
  auto chain = Chain(Make({{"AZURE_CLIENT_ID", "uami-7"}}));
  ASSERT_TRUE(chain->GetToken(kArm).ok());
  ASSERT_FALSE(imds_urls_.empty());
  EXPECT_NE(imds_urls_.back().find("client_id=uami-7"), std::string::npos);
  imds_urls_.clear();
  auto explicit_id = Chain(Make({{"AZURE_CLIENT_ID", "uami-7"},
                                 {"ATG_MANAGED_IDENTITY_CLIENT_ID", "uami-8"},
                                 {"AZURE_CLIENT_SECRET", "x"},
                                 {"AZURE_TENANT_ID", "t"},
                                 {"ATG_USE_MANAGED_IDENTITY", "true"}}));
  ASSERT_TRUE(explicit_id->GetToken(kArm).ok());
  EXPECT_NE(imds_urls_.back().find("client_id=uami-8"), std::string::npos);
}

TEST_F(CredentialChainTest, RefusedClientSecretStopsTheChain) {
  WriteAz();
  auto chain = Chain(Make({{"AZURE_TENANT_ID", "t-1"},
                           {"AZURE_CLIENT_ID", "c-1"},
                           {"AZURE_CLIENT_SECRET", "wrong-secret-value-99"}}));
  auto t = chain->GetToken(kArm);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(t.status().message().find("AADSTS7000215"), std::string::npos);
  EXPECT_EQ(t.status().message().find("wrong-secret-value-99"), std::string::npos);
  auto r = chain->Describe();
  EXPECT_EQ(Names(r),
            "client_secret:failed workload_identity:skipped managed_identity:skipped "
            "azure_cli:skipped ");
  EXPECT_NE(r[3].reason.find("stops the chain"), std::string::npos);
  EXPECT_TRUE(imds_urls_.empty());
}

TEST_F(CredentialChainTest, AzureCliIsTheLastResort) {
  WriteAz();
  auto chain = Chain(Make({}));
  auto t = chain->GetToken(kArm);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->token, "cli-token-value");
  EXPECT_EQ(Names(chain->Describe()),
            "client_secret:skipped workload_identity:skipped managed_identity:failed "
            "azure_cli:selected ");
}

TEST_F(CredentialChainTest, WorkloadIdentityFromTheTokenFile) {
  std::string file = (dir_ / "federated").string();
  std::ofstream(file) << "eyJ.federated.sig";
  auto chain = Chain(Make({{"AZURE_TENANT_ID", "t-1"},
                           {"AZURE_CLIENT_ID", "c-1"},
                           {"AZURE_FEDERATED_TOKEN_FILE", file}}));
  ASSERT_TRUE(chain->GetToken(kArm).ok());
  EXPECT_EQ(chain->selected(), "workload_identity");
  auto req = transport_->Requests();
  ASSERT_EQ(req.size(), 1u);
  EXPECT_NE(req[0].body.find("client_assertion=eyJ.federated.sig"), std::string::npos);
}

TEST_F(CredentialChainTest, ConcurrentFirstCallsResolveOnce) {
  auto chain = Chain(Make(
      {{"AZURE_TENANT_ID", "t-1"}, {"AZURE_CLIENT_ID", "c-1"}, {"AZURE_CLIENT_SECRET", kSecret}}));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (chain->GetToken(kArm).ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(transport_->RequestCount(), 1u);
  EXPECT_EQ(chain->selected(), "client_secret");
}

TEST_F(CredentialChainTest, IncompleteOrMalformedSettingsAreInvalidArgument) {
  auto a = DefaultCredentialChain::FromSettings(
      Make({{"AZURE_TENANT_ID", "t"}, {"AZURE_CLIENT_SECRET", kSecret}}), transport_, &clock_);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(a.status().message().find("AZURE_CLIENT_ID"), std::string::npos);
  EXPECT_EQ(a.status().message().find(kSecret), std::string::npos);
  auto b = DefaultCredentialChain::FromSettings(
      Make({{"AZURE_CLIENT_ID", "c"}, {"AZURE_FEDERATED_TOKEN_FILE", "/x"}}), transport_, &clock_);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("AZURE_TENANT_ID"), std::string::npos);
  auto c = DefaultCredentialChain::FromSettings(Make({{"ATG_USE_MANAGED_IDENTITY", "maybe"}}),
                                                transport_, &clock_);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("ATG_USE_MANAGED_IDENTITY"), std::string::npos);
}

}  // namespace
}  // namespace atg::azure
