#include "common/config.h"

#include <gtest/gtest.h>

namespace atg {
namespace {

TEST(SettingsTest, PrecedenceFlagOverEnvOverDotenvOverDefault) {
  Settings s =
      Settings::FromMaps({{"A", "env"}, {"B", "env"}}, {{"A", "dot"}, {"B", "dot"}, {"C", "dot"}});
  s.SetFlag("A", "flag");
  EXPECT_EQ(s.GetString("A", "def"), "flag");
  EXPECT_EQ(s.SourceOf("A"), "flag");
  EXPECT_EQ(s.GetString("B", "def"), "env");
  EXPECT_EQ(s.SourceOf("B"), "env");
  EXPECT_EQ(s.GetString("C", "def"), "dot");
  EXPECT_EQ(s.SourceOf("C"), ".env");
  EXPECT_EQ(s.GetString("D", "def"), "def");
  EXPECT_EQ(s.SourceOf("D"), "default");
}

TEST(SettingsTest, IntValidationNamesTheVariable) {
  Settings s =
      Settings::FromMaps({{"ATG_SERVER_PORT", "80x"}, {"ATG_MAX_CONCURRENT_JOBS", "0"}}, {});
  auto port = s.GetInt("ATG_SERVER_PORT", 8000, 1, 65535);
  ASSERT_FALSE(port.ok());
  EXPECT_NE(port.status().message().find("ATG_SERVER_PORT"), std::string::npos);
  EXPECT_NE(port.status().message().find("not an integer"), std::string::npos);
  auto jobs = s.GetInt("ATG_MAX_CONCURRENT_JOBS", 3, 1, 64);
  ASSERT_FALSE(jobs.ok());
  EXPECT_NE(jobs.status().message().find("1..64"), std::string::npos);
  EXPECT_EQ(*s.GetInt("UNSET", 3, 1, 64), 3);
}

TEST(SettingsTest, SecretValuesAreNeverEchoedInErrors) {
  Settings s = Settings::FromMaps({{"NEO4J_PASSWORD", "hunter2hunter2"}}, {});
  auto b = s.GetBool("NEO4J_PASSWORD", false);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message().find("hunter2"), std::string::npos);
  EXPECT_NE(b.status().message().find("NEO4J_PASSWORD"), std::string::npos);
}

TEST(SettingsTest, Booleans) {
  Settings s = Settings::FromMaps({{"A", "TRUE"}, {"B", "off"}, {"C", "maybe"}}, {});
  EXPECT_TRUE(*s.GetBool("A", false));
  EXPECT_FALSE(*s.GetBool("B", true));
  EXPECT_FALSE(s.GetBool("C", true).ok());
  EXPECT_TRUE(*s.GetBool("D", true));
}

TEST(DotEnvTest, ParsesCommentsQuotesAndExport) {
  auto r = ParseDotEnv(
      "# comment\n\nexport A=1\nB = \"two words\"\nC='x#y'\nD=plain # trailing\nE=\n", ".env");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->at("A"), "1");
  EXPECT_EQ(r->at("B"), "two words");
  EXPECT_EQ(r->at("C"), "x#y");
  EXPECT_EQ(r->at("D"), "plain");
  EXPECT_EQ(r->at("E"), "");
}

TEST(DotEnvTest, MalformedLineNamesFileAndLine) {
  auto r = ParseDotEnv("A=1\nthis is wrong\n", "my.env");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("my.env:2"), std::string::npos);
  auto bad_name = ParseDotEnv("A-B=1\n", "x.env");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(bad_name.status().message().find("A-B"), std::string::npos);
}

TEST(SettingsTest, SecretNamesIncludeEveryKindOfKey) {
  for (const char* name : {"AZURE_CLIENT_SECRET", "NEO4J_PASSWORD", "ATG_API_KEYS", "ATG_API_KEY",
                           "ATG_ARTIFACT_BLOB_KEY", "IDENTITY_HEADER", "SOME_ACCOUNT_KEY"}) {
    EXPECT_TRUE(Settings::IsSecretName(name)) << name;
  }
  for (const char* name : {"ATG_SERVER_PORT", "NEO4J_URI", "ATG_ARTIFACT_BLOB_ACCOUNT"}) {
    EXPECT_FALSE(Settings::IsSecretName(name)) << name;
  }
  // A bad value of a *_KEY variable is not echoed.
  Settings s = Settings::FromMaps({{"ATG_ARTIFACT_BLOB_KEY", "s3cr3t-value"}}, {});
  auto v = s.GetInt("ATG_ARTIFACT_BLOB_KEY", 0, 0, 1);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message().find("s3cr3t-value"), std::string::npos);
}

}  // namespace
}  // namespace atg
