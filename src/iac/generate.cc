#include "iac/generate.h"

#include <vector>

#include "iac/emit.h"
#include "iac/report.h"

namespace atg::iac {

Status ValidateFormat(std::string_view format) {
  if (format == "terraform" || format == "bicep" || format == "arm") return Status::Ok();
  return Status::InvalidArgument("the format must be terraform, bicep or arm, not '" +
                                 std::string(format) + "'");
}

Result<json::object> GenerateFormat(const Plan& plan, std::string_view format,
                                    const std::string& output_dir, const WriteOptions& options,
                                    std::string_view summary_output) {
  ATG_RETURN_IF_ERROR(ValidateFormat(format));
  Result<Emitted> emitted = format == "terraform" ? EmitTerraform(plan)
                            : format == "bicep"   ? EmitBicep(plan)
                                                  : EmitArm(plan);
  if (!emitted.ok()) return emitted.status();
  std::vector<OutputFile> files = std::move(emitted->files);
  files.push_back({"README.md", RenderReport(plan, format, *emitted)});
  ATG_RETURN_IF_ERROR(WriteOutput(output_dir, files, options));
  json::object summary = ReportSummary(plan, format, summary_output, *emitted);
  return summary;
}

}  // namespace atg::iac
