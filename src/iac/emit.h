// The three IaC emitters. Each renders a Plan (iac/plan.h) into the files of one format; none
// touches the disk, so they are pure, testable and deterministic: the same plan gives
// byte-identical files. The caller (`atg generate-iac`, the service's job) writes them, plus
// the report README.md.
//
// Layout per format (paths relative to the output directory):
//  * Terraform: providers.tf, variables.tf, outputs.tf, one "<resource group>.tf" per resource
//    group (resources outside any group in "subscription.tf"), "entra.tf" for azuread_* objects;
//  * Bicep: main.bicep (subscription scope: resource groups + one module per group) and
//    modules/<resource group>.bicep;
//  * ARM: azuredeploy.json (subscription-scope template with a nested deployment per resource
//    group) and azuredeploy.parameters.json.
//
// Thread-safety: pure functions of their arguments.
#ifndef ATG_IAC_EMIT_H_
#define ATG_IAC_EMIT_H_

#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "iac/plan.h"

namespace atg::iac {

struct OutputFile {
  std::string path;     // relative, '/'-separated, no ".." (the writer checks)
  std::string content;  // UTF-8 text, ending with a newline
};

struct Emitted {
  std::vector<OutputFile> files;  // sorted by path
  // Format-specific lines for the report, e.g. which types went through azapi_resource, which
  // Entra objects Bicep/ARM cannot create.
  std::vector<std::string> notes;
};

// Choices the user makes about the output (`atg generate-iac` flags).
struct EmitOptions {
  // Terraform: one `import { to = ..., id = ... }` block per resource and Entra object
  // (OpenTofu / Terraform >= 1.5), so that `tofu plan` adopts what exists in the source tenant
  // instead of creating it. Only for a plan that targets its source (no cross-tenant
  // rewriting); GenerateFormat refuses other combinations.
  bool import_existing = false;
  // Bicep and ARM: the templates create the resource groups their resources deploy into
  // (they are subscription-scope deployments). false: the groups must exist already.
  bool create_resource_groups = true;
};

Result<Emitted> EmitTerraform(const Plan& plan, const EmitOptions& options = {});
Result<Emitted> EmitBicep(const Plan& plan, const EmitOptions& options = {});
Result<Emitted> EmitArm(const Plan& plan, const EmitOptions& options = {});

}  // namespace atg::iac

#endif  // ATG_IAC_EMIT_H_
