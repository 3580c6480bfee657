// The API versions of the calls the scanner itself makes (subscriptions, resource lists,
// providers, Resource Graph, roles, diagnostic settings). Per-type read versions are ARM
// knowledge shared with the IaC plan: common/arm_types.h.
//
// Thread-safety: constants.
#ifndef ATG_SCAN_API_VERSIONS_H_
#define ATG_SCAN_API_VERSIONS_H_

#include <string_view>

namespace atg::scan {

// Fixed API versions of the scanner's own calls.
inline constexpr std::string_view kSubscriptionsApiVersion = "2022-12-01";
inline constexpr std::string_view kResourcesApiVersion = "2021-04-01";
inline constexpr std::string_view kProvidersApiVersion = "2021-04-01";
inline constexpr std::string_view kResourceGraphApiVersion = "2021-03-01";
inline constexpr std::string_view kRoleAssignmentsApiVersion = "2022-04-01";
inline constexpr std::string_view kRoleDefinitionsApiVersion = "2022-04-01";
inline constexpr std::string_view kDiagnosticSettingsApiVersion = "2021-05-01-preview";

}  // namespace atg::scan

#endif  // ATG_SCAN_API_VERSIONS_H_
