#include "iac/terraform_values.h"

#include <gtest/gtest.h>

namespace atg::iac {
namespace {

TEST(TerraformValues, EnumsTakeTheProvidersSpelling) {
  EXPECT_EQ(FitEnum("get", *KeyVaultPermissions("keys")), "Get");
  EXPECT_EQ(FitEnum("WRAPKEY", *KeyVaultPermissions("keys")), "WrapKey");
  EXPECT_EQ(FitEnum("all", *KeyVaultPermissions("secrets")), std::nullopt);
  EXPECT_EQ(KeyVaultPermissions("unknown"), nullptr);
  EXPECT_EQ(FitEnum("p1v3", ServicePlanSkus()), "P1v3");
  EXPECT_EQ(FitEnum("P1", ServicePlanSkus()), std::nullopt);  // Premium v1: retired
}

TEST(TerraformValues, SqlDatabaseSkusAreNamedAsAzurermExpects) {
  EXPECT_EQ(SqlDatabaseSkuName("GP_S_Gen5", 2), "GP_S_Gen5_2");
  EXPECT_EQ(SqlDatabaseSkuName("GP_Gen5_4", 4), "GP_Gen5_4");
  EXPECT_EQ(SqlDatabaseSkuName("GP_Gen5", std::nullopt), std::nullopt);
  EXPECT_EQ(SqlDatabaseSkuName("Standard", 10), "S0");
  EXPECT_EQ(SqlDatabaseSkuName("Premium", 250), "P2");
  EXPECT_EQ(SqlDatabaseSkuName("Standard", 11), std::nullopt);
  EXPECT_EQ(SqlDatabaseSkuName("S0", 10), "S0");
  EXPECT_EQ(SqlDatabaseSkuName("Basic", 5), "Basic");
}

TEST(TerraformValues, RedisVersionsAreMajors) {
  EXPECT_EQ(RedisMajorVersion("6.0"), "6");
  EXPECT_EQ(RedisMajorVersion("6.0.14"), "6");
  EXPECT_EQ(RedisMajorVersion("4.0.14"), "4");
  EXPECT_EQ(RedisMajorVersion("7.2"), std::nullopt);
}

}  // namespace
}  // namespace atg::iac
