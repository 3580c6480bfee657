#include "scan/diagnostic_types.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/strings.h"
#include "sim/catalog.h"

namespace atg::scan {
namespace {

TEST(DiagnosticTypesTest, CommonListAgreesWithTheSimulatorCatalog) {
  std::set<std::string> sim_common;
  for (const auto& info : sim::ResourceTypeCatalog()) {
    if (info.diagnostic_settings_common) sim_common.insert(ToLower(info.type));
  }
  std::set<std::string> ours(CommonDiagnosticSettingsTypes().begin(),
                             CommonDiagnosticSettingsTypes().end());
  EXPECT_EQ(ours, sim_common);
}

TEST(DiagnosticTypesTest, ScopeSelectsTypes) {
  using enum DiagnosticSettingsScope;
  EXPECT_TRUE(WantsDiagnosticSettings(kCommon, "microsoft.keyvault/vaults"));
  EXPECT_FALSE(WantsDiagnosticSettings(kCommon, "microsoft.compute/disks"));
  EXPECT_TRUE(WantsDiagnosticSettings(kAll, "microsoft.compute/disks"));
  EXPECT_FALSE(WantsDiagnosticSettings(kAll, "microsoft.insights/diagnosticsettings"));
  EXPECT_FALSE(WantsDiagnosticSettings(kAll, "microsoft.authorization/roleassignments"));
  EXPECT_FALSE(WantsDiagnosticSettings(kNone, "microsoft.keyvault/vaults"));
}

TEST(DiagnosticTypesTest, Parse) {
  EXPECT_EQ(*ParseDiagnosticSettingsScope("ALL"), DiagnosticSettingsScope::kAll);
  EXPECT_EQ(*ParseDiagnosticSettingsScope("none"), DiagnosticSettingsScope::kNone);
  auto bad = ParseDiagnosticSettingsScope("some");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--diagnostic-settings"), std::string::npos);
}

}  // namespace
}  // namespace atg::scan
