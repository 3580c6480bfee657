// Which resources a scan reads diagnostic settings for (DESIGN.md §3.5). Azure has no bulk API
// for diagnostic settings (one list call per resource), so they dominate the cost of a large
// scan; `common` limits the reads to the types people actually configure them on.
//
// Thread-safety: immutable data and pure functions.
#ifndef ATG_SCAN_DIAGNOSTIC_TYPES_H_
#define ATG_SCAN_DIAGNOSTIC_TYPES_H_

#include <string_view>
#include <vector>

#include "common/status.h"

namespace atg::scan {

enum class DiagnosticSettingsScope { kNone, kCommon, kAll };

// "none", "common" or "all" (any case); the error names the flag and the accepted values.
Result<DiagnosticSettingsScope> ParseDiagnosticSettingsScope(std::string_view text);
std::string_view DiagnosticSettingsScopeName(DiagnosticSettingsScope scope);

// The `common` list, lower-cased ARM types, sorted.
const std::vector<std::string_view>& CommonDiagnosticSettingsTypes();

// Whether a scan with `scope` reads the diagnostic settings of a resource of `lower_type`.
// Never for subscriptions, resource groups or extension resources (role assignments,
// diagnostic settings themselves).
bool WantsDiagnosticSettings(DiagnosticSettingsScope scope, std::string_view lower_type);

}  // namespace atg::scan

#endif  // ATG_SCAN_DIAGNOSTIC_TYPES_H_
