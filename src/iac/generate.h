// One format's output from a built plan: emit, add the report README.md, write the directory
// (all or nothing, iac/output_writer.h) and return the DESIGN.md §3.1 summary object. Shared by
// `atg generate-iac`, `atg demo` and the service's generate-iac job, so all three write the
// same files.
//
// Thread-safety: reentrant; concurrent calls must use different output directories.
#ifndef ATG_IAC_GENERATE_H_
#define ATG_IAC_GENERATE_H_

#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"
#include "iac/emit.h"
#include "iac/output_writer.h"
#include "iac/plan.h"

namespace atg::iac {

// kInvalidArgument when `format` is not "terraform", "bicep" or "arm".
Status ValidateFormat(std::string_view format);

// kInvalidArgument (saying why) for EmitOptions that do not fit `format` or `plan`: import
// blocks are Terraform's, and adopt the source tenant's own resources only (no cross-tenant
// rewriting).
Status ValidateEmitOptions(const Plan& plan, std::string_view format, const EmitOptions& emit);

// Writes `plan` as `format` into `output_dir`. `summary_output` is what the summary's
// "output" field says (the directory, or the artifact's name for a job).
Result<json::object> GenerateFormat(const Plan& plan, std::string_view format,
                                    const std::string& output_dir, const WriteOptions& options,
                                    std::string_view summary_output, const EmitOptions& emit = {});

}  // namespace atg::iac

#endif  // ATG_IAC_GENERATE_H_
