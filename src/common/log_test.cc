#include "common/log.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace atg {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(LogTest, RegisteredSecretsAreRedactedEverywhere) {
  RegisterSecret("s3cr3t-value-123");
  std::string out = RedactSecrets("token=s3cr3t-value-123 and again s3cr3t-value-123");
  EXPECT_EQ(out.find("s3cr3t"), std::string::npos);
  EXPECT_NE(out.find("[REDACTED]"), std::string::npos);
}

TEST(LogTest, BearerAndSecretParametersAreMasked) {
  std::string out = RedactSecrets(
      "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def body client_secret=abcdef123&x=1");
  EXPECT_EQ(out.find("eyJhbGci"), std::string::npos);
  EXPECT_EQ(out.find("abcdef123"), std::string::npos);
  EXPECT_NE(out.find("x=1"), std::string::npos);
}

TEST(LogTest, JsonLinesCarryFieldsAndRedact) {
  auto path = (std::filesystem::temp_directory_path() / "atg_log_test.jsonl").string();
  std::remove(path.c_str());
  RegisterSecret("another-secret-xyz");
  InitLogging(LogFormat::kJson, LogLevel::kDebug, path);
  Log(LogLevel::kInfo, "hello another-secret-xyz",
      {{"key_id", "k-1"}, {"x", "another-secret-xyz"}});
  LogDebug("n={}", 5);
  InitLogging(LogFormat::kText, LogLevel::kInfo);
  std::string text = ReadAll(path);
  std::remove(path.c_str());
  EXPECT_NE(text.find("\"msg\":\"hello [REDACTED]\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"key_id\":\"k-1\""), std::string::npos);
  EXPECT_NE(text.find("\"level\":\"debug\""), std::string::npos);
  EXPECT_EQ(text.find("another-secret-xyz"), std::string::npos);
}

TEST(LogTest, LevelFilter) {
  LogLevel l;
  EXPECT_TRUE(ParseLogLevel("WARNING", &l));
  EXPECT_EQ(l, LogLevel::kWarning);
  EXPECT_FALSE(ParseLogLevel("loud", &l));
}

}  // namespace
}  // namespace atg
