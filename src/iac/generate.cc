#include "iac/generate.h"

#include "common/strings.h"
#include "iac/emit.h"
#include "iac/report.h"

namespace atg::iac {

Status ValidateFormat(std::string_view format) {
  if (format == "terraform" || format == "bicep" || format == "arm") return Status::Ok();
  return Status::InvalidArgument("the format must be terraform, bicep or arm, not '" +
                                 std::string(format) + "'");
}

Status ValidateEmitOptions(const Plan& plan, std::string_view format, const EmitOptions& emit) {
  if (!emit.import_existing) return Status::Ok();
  if (format != "terraform") {
    return Status::InvalidArgument(
        "--import writes Terraform import blocks; Bicep and ARM deployments update existing "
        "resources in place without them: drop --import or use --format terraform");
  }
  bool rewritten = !EqualsIgnoreCase(plan.source_tenant_id, plan.target_tenant_id);
  for (const PlannedResource& r : plan.resources) {
    rewritten = rewritten || !EqualsIgnoreCase(r.id, r.source_id);
  }
  for (const PlannedPrincipal& p : plan.principals) {
    rewritten = rewritten || !p.target_object_id.empty();
  }
  if (rewritten) {
    return Status::InvalidArgument(
        "--import adopts the source tenant's existing resources, so it cannot be combined "
        "with --target-subscription, --target-tenant-id or --identity-map: generate without "
        "--import to replicate into another tenant");
  }
  return Status::Ok();
}

Result<json::object> GenerateFormat(const Plan& plan, std::string_view format,
                                    const std::string& output_dir, const WriteOptions& options,
                                    std::string_view summary_output, const EmitOptions& emit) {
  ATG_RETURN_IF_ERROR(ValidateFormat(format));
  ATG_RETURN_IF_ERROR(ValidateEmitOptions(plan, format, emit));
  Result<Emitted> emitted = format == "terraform" ? EmitTerraform(plan, emit)
                            : format == "bicep"   ? EmitBicep(plan, emit)
                                                  : EmitArm(plan, emit);
  if (!emitted.ok()) return emitted.status();
  std::string readme = RenderReport(plan, format, *emitted);
  emitted->files.push_back({"README.md", std::move(readme)});
  ATG_RETURN_IF_ERROR(WriteOutput(output_dir, emitted->files, options));
  // The summary names every file written, the report included.
  return ReportSummary(plan, format, summary_output, *emitted);
}

}  // namespace atg::iac
