// What the azurerm mappings (iac/terraform_<area>.cc) share: paths into arrays, presence tests,
// the name / resource group / location head, parent and scope references, and the choose
// helpers. Each area adds its rows to the table through iac/terraform_areas.h.
//
// Thread-safety: functions over one MapContext, used by one emitter thread.
#ifndef ATG_IAC_TERRAFORM_ARGUMENTS_H_
#define ATG_IAC_TERRAFORM_ARGUMENTS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/arm_id.h"
#include "common/strings.h"
#include "iac/hcl_writer.h"
#include "iac/terraform_areas.h"
#include "iac/terraform_types.h"
#include "iac/terraform_values.h"

namespace atg::iac::terraform {

// "{array}[{i}].{field}" (without ".{field}" when `field` is empty).
std::string ElementPath(std::string_view array, size_t i, std::string_view field);

// The length of the array at `path`, 0 when there is none.
size_t ArraySize(const MapContext& c, std::string_view path);
bool NonEmptyArray(const MapContext& c, std::string_view path);
bool NonEmptyObject(const MapContext& c, std::string_view path);

// `name = <count>` for a count above zero: ARM writes 0 for "not set", azurerm's validators
// start at 1.
void PositiveAttr(MapContext& c, HclWriter& w, std::string_view name, std::string_view path);

// name, resource_group_name (and location): the head of most azurerm resources.
void NameGroupLocation(MapContext& c, HclWriter& w, bool location = true);

// The parent's `name` attribute when the parent is emitted, else the literal from the plan.
std::string ParentName(MapContext& c);
// The parent's `id` when the parent is emitted, else its literal id.
std::string ParentId(MapContext& c);
// The extended resource's `id` when it is emitted, else the literal id of the scope ("/" for
// the tenant).
std::string ScopeId(MapContext& c);

// "[expr, expr]" of `field` in each element of the array at `path`.
std::string ExprList(MapContext& c, std::string_view path, std::string_view field);

// `public_network_access_enabled` from an "Enabled" / "Disabled" property, when set.
void PublicNetworkAccess(MapContext& c, HclWriter& w,
                         std::string_view path = "properties.publicNetworkAccess");

// A choose function's answers: the azurerm type, or "" with *why saying why the resource goes
// through azapi_resource instead.
std::string AzurermType(const char* type);
std::string ViaAzapi(std::string* why, std::string reason);

}  // namespace atg::iac::terraform

// A choose function for a type that always maps to the same azurerm type.
#define ATG_ALWAYS_AZURERM_TYPE(type)                \
  [](const ::atg::iac::MapContext&, std::string*) {  \
    return ::atg::iac::terraform::AzurermType(type); \
  }

#endif  // ATG_IAC_TERRAFORM_ARGUMENTS_H_
