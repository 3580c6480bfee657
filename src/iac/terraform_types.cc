// The azurerm mapping table (iac/terraform_types.h): the union of the areas' rows
// (iac/terraform_areas.h), sorted by ARM type.
#include "iac/terraform_types.h"

#include <algorithm>

#include "common/strings.h"
#include "iac/terraform_areas.h"

namespace atg::iac {

const std::vector<TypeMapping>& TerraformTypeMappings() {
  static const std::vector<TypeMapping> kTable = [] {
    std::vector<TypeMapping> t;
    terraform::AddResourcesMappings(&t);
    terraform::AddNetworkMappings(&t);
    terraform::AddComputeMappings(&t);
    terraform::AddStorageMappings(&t);
    terraform::AddWebMappings(&t);
    terraform::AddSqlMappings(&t);
    terraform::AddContainerMappings(&t);
    terraform::AddMonitoringMappings(&t);
    terraform::AddDataAndMessagingMappings(&t);
    std::sort(t.begin(), t.end(), [](const TypeMapping& a, const TypeMapping& b) {
      return std::string_view(a.arm_type) < std::string_view(b.arm_type);
    });
    return t;
  }();
  return kTable;
}

const TypeMapping* FindTerraformMapping(std::string_view arm_type) {
  const std::string lower = ToLower(arm_type);
  const auto& t = TerraformTypeMappings();
  auto it = std::lower_bound(
      t.begin(), t.end(), lower,
      [](const TypeMapping& m, const std::string& k) { return std::string_view(m.arm_type) < k; });
  if (it == t.end() || it->arm_type != lower) return nullptr;
  return &*it;
}

}  // namespace atg::iac
