#include "server/api_keys.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace atg::server {
namespace {

const std::string kA = "ka-5f2c1e9b7d3a48c6b0e4f1a2c3d4e5f6";
const std::string kB = "kb-9a8b7c6d5e4f30a1b2c3d4e5f6a7b8c9";

TEST(ApiKeysTest, IdIsStable) {
  // SHA-256("abc") begins ba7816bf8f01 (the digest itself is tested in common/sha256_test.cc).
  EXPECT_EQ(ApiKeyId(Sha256("abc").value()), "k_ba7816bf8f01");
}

TEST(ApiKeysTest, StrengthCheck) {
  EXPECT_TRUE(CheckApiKeyStrength(kA).ok());
  EXPECT_FALSE(CheckApiKeyStrength("short").ok());
  EXPECT_FALSE(CheckApiKeyStrength(std::string(64, 'a')).ok());
  EXPECT_FALSE(CheckApiKeyStrength("ka-5f2c1e9b7d3a48c6 0e4f1a2c3d4e5f6x").ok());
  Status s = CheckApiKeyStrength("secret-but-short");
  EXPECT_EQ(s.message().find("secret-but-short"), std::string::npos);
}

TEST(ApiKeysTest, SetAuthenticatesSeveralKeysAndKeepsNoPlaintext) {
  auto set = ApiKeySet::FromKeys({{kA, "test 1"}, {kB, "test 2"}, {kA, "test 3"}});
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->keys().size(), 2u);
  auto a = set->Authenticate(kA);
  auto b = set->Authenticate(kB);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(*a, ApiKeyId(Sha256(kA).value()));
  EXPECT_FALSE(set->Authenticate(kA + "x"));
  EXPECT_FALSE(set->Authenticate(""));
  for (const auto& k : set->keys()) {
    EXPECT_EQ(k.digest.find(kA), std::string::npos);
    EXPECT_EQ(k.digest.size(), 32u);
  }
}

TEST(ApiKeysTest, WeakKeyErrorNamesTheSourceNotTheKey) {
  auto set = ApiKeySet::FromKeys({{kA, "ATG_API_KEYS entry 1"}, {"tiny", "ATG_API_KEYS entry 2"}});
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find("ATG_API_KEYS entry 2"), std::string::npos);
  EXPECT_EQ(set.status().message().find("tiny"), std::string::npos);
}

TEST(ApiKeysTest, ReadsEnvAndFileAndRefusesNothing) {
  auto none = ReadApiKeys(Settings::FromMaps({}, {}));
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("ATG_API_KEYS"), std::string::npos);

  auto path = std::filesystem::temp_directory_path() / ("atg_keys_" + std::to_string(getpid()));
  std::ofstream(path) << "# rotated 2024-01\n\n" << kB << "\n  # old\n";
  auto keys = ReadApiKeys(Settings::FromMaps(
      {{"ATG_API_KEYS", " " + kA + " ,"}, {"ATG_API_KEYS_FILE", path.string()}}, {}));
  std::filesystem::remove(path);
  ASSERT_TRUE(keys.ok()) << keys.status().message();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].first, kA);
  EXPECT_EQ((*keys)[1].first, kB);
  EXPECT_EQ((*keys)[1].second, "ATG_API_KEYS_FILE line 3");

  auto missing = ReadApiKeys(Settings::FromMaps({{"ATG_API_KEYS_FILE", "/nonexistent/k"}}, {}));
  EXPECT_FALSE(missing.ok());
}

TEST(ApiKeysTest, RingSwapsAtomically) {
  ApiKeyRing ring(*ApiKeySet::FromKeys({{kA, "a"}}));
  auto before = ring.Current();
  EXPECT_TRUE(ring.Authenticate(kA));
  ring.Replace(*ApiKeySet::FromKeys({{kB, "b"}}));
  EXPECT_FALSE(ring.Authenticate(kA));
  EXPECT_TRUE(ring.Authenticate(kB));
  // A reader holding the old set keeps a consistent view.
  EXPECT_TRUE(before->Authenticate(kA));
}

}  // namespace
}  // namespace atg::server
