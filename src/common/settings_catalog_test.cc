#include "common/settings_catalog.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "common/config.h"

namespace atg {
namespace {

TEST(SettingsCatalogTest, SortedUniqueAndFindable) {
  auto all = SettingsCatalog();
  ASSERT_FALSE(all.empty());
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_LT(all[i - 1].name, all[i].name) << "the catalog must stay sorted by name";
  }
  for (const SettingSpec& s : all) {
    const SettingSpec* found = FindSetting(s.name);
    ASSERT_NE(found, nullptr) << s.name;
    EXPECT_EQ(found->name, s.name);
    EXPECT_FALSE(s.summary.empty()) << s.name << " needs a summary";
  }
  EXPECT_EQ(FindSetting("ATG_NO_SUCH_SETTING"), nullptr);
  EXPECT_EQ(FindSetting(""), nullptr);
}

TEST(SettingsCatalogTest, EverySecretIsHiddenFromMessages) {
  // A value the catalog calls secret is never echoed by a Settings error message. (Settings hides
  // some non-secret values too, such as the paths in *_KEY_FILE and *_TOKEN_FILE.)
  for (const SettingSpec& s : SettingsCatalog()) {
    if (s.secret) EXPECT_TRUE(Settings::IsSecretName(s.name)) << s.name;
  }
}

TEST(SettingsCatalogTest, ServeNeedsAKeySourceAndATenant) {
  std::set<std::string> keys, tenant;
  for (const SettingSpec& s : SettingsCatalog()) {
    if (s.required_group == "api-keys") keys.insert(std::string(s.name));
    if (s.required_group == "tenant") tenant.insert(std::string(s.name));
  }
  EXPECT_EQ(keys,
            (std::set<std::string>{"ATG_API_KEYS", "ATG_API_KEYS_FILE", "AZURE_KEY_VAULT_NAME"}));
  EXPECT_EQ(tenant, (std::set<std::string>{"ATG_TARGET_TENANT_ID", "AZURE_TENANT_ID"}));
}

// Every variable name the program's sources mention is declared in the catalog: a new setting
// that is read somewhere but not listed fails here, naming the file.
TEST(SettingsCatalogTest, EverySettingTheSourcesNameIsListed) {
  const std::filesystem::path src = std::filesystem::path(ATG_SOURCE_DIR) / "src";
  ASSERT_TRUE(std::filesystem::is_directory(src)) << src;
  const std::regex name(
      R"re("((?:ATG|AZURE|NEO4J|REDIS|IDENTITY)_[A-Z0-9_]*[A-Z0-9]|LOG_LEVEL|ENABLE_METRICS)")re");
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(src)) {
    const std::string path = entry.path().string();
    if (!entry.is_regular_file()) continue;
    if (!path.ends_with(".cc") && !path.ends_with(".h")) continue;
    if (path.ends_with("_test.cc") || path.find("/testing/") != std::string::npos) continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string body = text.str();
    ++files;
    for (std::sregex_iterator it(body.begin(), body.end(), name), end; it != end; ++it) {
      const std::string var = (*it)[1].str();
      EXPECT_NE(FindSetting(var), nullptr)
          << path << " names " << var
          << ", which src/common/settings_catalog.cc does not list: add it there (scope, default, "
             "secret, summary) and document it in docs/configuration.md";
    }
  }
  EXPECT_GT(files, 50);
}

}  // namespace
}  // namespace atg
