#include "azure/azure_cli_credential.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace atg::azure {
namespace {

namespace fs = std::filesystem;

constexpr char kToken[] = "cli-access-token-0123456789abcdef";

// Each test writes its own `az` into a temp dir and points the credential's PATH there.
class AzureCliCredentialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("atg-az-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteAz(const std::string& body) {
    std::string path = (dir_ / "az").string();
    std::ofstream(path) << "#!/bin/sh\n" << body;
    ::chmod(path.c_str(), 0755);
  }
  std::unique_ptr<AzureCliCredential> Make(std::string tenant = "") {
    AzureCliCredentialOptions o;
    o.path = "/nonexistent-dir:" + dir_.string();
    o.tenant_id = tenant;
    o.timeout = std::chrono::milliseconds(3000);
    return std::make_unique<AzureCliCredential>(o, &clock_);
  }
  std::string ArgsFile() const { return (dir_ / "args").string(); }
  std::string ReadArgs() const {
    std::ifstream in(ArgsFile());
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  fs::path dir_;
  FakeClock clock_;
};

TEST_F(AzureCliCredentialTest, RunsAzWithResourceAndTenantAndReadsExpiresOn) {
  WriteAz("echo \"$@\" >> '" + ArgsFile() +
          "'\n"
          "cat <<JSON\n"
          "{\"accessToken\": \"" +
          kToken +
          "\", \"expiresOn\": \"2026-01-01 01:00:00.000000\", \"expires_on\": 1767229200,"
          " \"subscription\": \"s\", \"tenant\": \"t-1\", \"tokenType\": \"Bearer\"}\n"
          "JSON\n");
  auto cred = Make("t-1");
  ASSERT_FALSE(cred->program_path().empty());
  auto t = cred->GetToken("https://management.azure.com/.default");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->token, kToken);
  EXPECT_EQ(t->expires_on, WallTime(std::chrono::seconds(1767229200)));
  EXPECT_EQ(ReadArgs(),
            "account get-access-token --output json --resource https://management.azure.com "
            "--tenant t-1\n");
  // Cached: az runs once per audience.
  ASSERT_TRUE(cred->GetToken("https://management.azure.com/.default").ok());
  ASSERT_TRUE(cred->GetToken("https://graph.microsoft.com/.default").ok());
  EXPECT_EQ(ReadArgs(),
            "account get-access-token --output json --resource https://management.azure.com "
            "--tenant t-1\n"
            "account get-access-token --output json --resource https://graph.microsoft.com "
            "--tenant t-1\n");
}

TEST_F(AzureCliCredentialTest, OlderCliWithOnlyLocalExpiresOn) {
  WriteAz(std::string("echo '{\"accessToken\": \"") + kToken +
          "\", \"expiresOn\": \"2099-01-01 00:00:00.000000\"}'\n");
  auto t = Make()->GetToken("https://management.azure.com/.default");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_GT(t->expires_on, clock_.WallNow() + std::chrono::hours(24 * 365 * 50));
}

TEST_F(AzureCliCredentialTest, NotSignedInIsAFailedPreconditionThatSaysAzLogin) {
  WriteAz("echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n");
  auto t = Make("t-9")->GetToken("https://management.azure.com/.default");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(t.status().message().find("az login` --tenant t-9"), std::string::npos)
      << t.status().message();
}

TEST_F(AzureCliCredentialTest, BadOutputNeverShowsStdout) {
  WriteAz(std::string("echo 'unexpected output with ") + kToken + "'\n");
  auto t = Make()->GetToken("https://management.azure.com/.default");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message().find(kToken), std::string::npos) << t.status().message();
}

TEST_F(AzureCliCredentialTest, AadErrorIsUnauthenticated) {
  WriteAz("echo 'ERROR: AADSTS70043: The refresh token has expired.' >&2\nexit 1\n");
  auto t = Make()->GetToken("https://management.azure.com/.default");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(t.status().message().find("AADSTS70043"), std::string::npos);
}

TEST_F(AzureCliCredentialTest, HangingAzIsKilledAtTheTimeout) {
  WriteAz("exec sleep 30\n");
  AzureCliCredentialOptions o;
  o.path = dir_.string();
  o.timeout = std::chrono::milliseconds(300);
  AzureCliCredential cred(o, &clock_);
  auto start = std::chrono::steady_clock::now();
  auto t = cred.GetToken("https://management.azure.com/.default");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(AzureCliCredentialTest, AbsentAzAndUnsafeScopes) {
  AzureCliCredentialOptions o;
  o.path = dir_.string();  // no az written
  AzureCliCredential absent(o, &clock_);
  EXPECT_TRUE(absent.program_path().empty());
  auto t = absent.GetToken("https://management.azure.com/.default");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(t.status().message().find("not on PATH"), std::string::npos);

  WriteAz("echo should-not-run > '" + ArgsFile() + "'\n");
  auto cred = Make();
  EXPECT_EQ(cred->GetToken("--debug").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(cred->GetToken("https://x/.default; rm -rf /").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(ArgsFile()));
}

}  // namespace
}  // namespace atg::azure
