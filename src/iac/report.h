// The report of `atg generate-iac`: the README.md written beside the generated files, and the
// JSON summary that `--json` prints (DESIGN.md §3.1).
//
// Thread-safety: pure functions.
#ifndef ATG_IAC_REPORT_H_
#define ATG_IAC_REPORT_H_

#include <string>
#include <string_view>

#include "common/json.h"
#include "iac/emit.h"
#include "iac/plan.h"

namespace atg::iac {

// README.md: what was emitted (by type), the files, the inputs the user must provide, what was
// skipped and why (grouped by reason), broken dependency cycles, unmapped principals and the
// emitter's notes. Deterministic for the same arguments. Never contains a secret value: the
// plan holds none.
std::string RenderReport(const Plan& plan, std::string_view format, const Emitted& emitted);

// {format, output, resources_emitted, by_type (lower-cased type -> count), skipped [{key, type,
// reason}], inputs_required [{name, description, secret, resource, path}], principals,
// broken_cycles [{from, to}], unmapped_principals, files, notes}.
json::object ReportSummary(const Plan& plan, std::string_view format, std::string_view output,
                           const Emitted& emitted);

}  // namespace atg::iac

#endif  // ATG_IAC_REPORT_H_
