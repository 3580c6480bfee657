#include "iac/report.h"

#include <map>
#include <vector>

#include "common/strings.h"

namespace atg::iac {
namespace {

constexpr size_t kMaxListedPerReason = 50;

std::map<std::string, int64_t> ByType(const Plan& plan) {
  std::map<std::string, int64_t> m;
  for (const auto& r : plan.resources) ++m[ToLower(r.type)];
  return m;
}

// Markdown table cells must not break the row.
std::string Cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

bool HasFile(const Emitted& emitted, std::string_view path) {
  for (const auto& f : emitted.files) {
    if (f.path == path) return true;
  }
  return false;
}

// How to deploy what was written: the commands, the inputs, the subscription it targets.
std::string HowToDeploy(const Plan& plan, std::string_view format, const Emitted& emitted) {
  const std::string home = HomeSubscription(plan);
  size_t secrets = 0;
  for (const auto& in : plan.inputs) secrets += in.secret ? 1 : 0;
  std::string location;  // for the deployment's metadata: the first resource group's region
  for (const auto& r : plan.resources) {
    if (r.is_resource_group && !r.location.empty()) {
      location = r.location;
      break;
    }
  }
  if (location.empty()) location = "<region>";
  const std::string inputs = std::to_string(plan.inputs.size()) + " inputs (" +
                             std::to_string(secrets) + " of them secrets, listed below)";
  std::string md = "## How to deploy\n\n";
  if (!home.empty()) {
    md += "Everything deploys into subscription `" + home + "` of tenant `" +
          plan.target_tenant_id + "` unless a resource names another subscription.\n\n";
  }
  if (format == "terraform") {
    md +=
        "Needs OpenTofu or Terraform 1.5 or later, and credentials for the target tenant (`az "
        "login`, or a service principal in `ARM_CLIENT_ID` / `ARM_CLIENT_SECRET` / "
        "`ARM_TENANT_ID`).\n\n";
    md += "1. Provide the " + inputs +
          ": `cp terraform.tfvars.example terraform.tfvars` and fill in every value (keep the "
          "filled-in file out of version control), or export `TF_VAR_<name>` for each.\n";
    md +=
        "2. `tofu init` (or `terraform init`) downloads the pinned providers: azurerm ~> "
        "5.2, azapi ~> 2.9, azuread ~> 3.9.\n";
    md += HasFile(emitted, "imports.tf")
              ? "3. `tofu plan -out tfplan`: imports.tf adopts the existing resources, so the "
                "plan lists imports and the changes needed to match this configuration; "
                "review them.\n"
              : "3. `tofu plan -out tfplan` and review what will be created.\n";
    md += "4. `tofu apply tfplan`.\n\n";
  } else {
    const bool bicep = format == "bicep";
    md += "Needs the Azure CLI" + std::string(bicep ? " (with Bicep: `az bicep install`)" : "") +
          ", signed in to the target tenant: `az login` and `az account set --subscription " +
          (home.empty() ? std::string("<subscription>") : home) + "`.\n\n";
    md += "The template is a subscription-scope deployment";
    md += HasFile(emitted, bicep ? "main.bicep" : "azuredeploy.json")
              ? ": it creates the resource groups and deploys each group's resources into it "
                "(unless generated with --no-resource-groups: then the groups must exist).\n\n"
              : ".\n\n";
    if (bicep) {
      md += "1. Provide the " + inputs +
            " as parameters: `--parameters name=value` for each, or a `.bicepparam` file "
            "(secrets from your secret store, never in a file you commit).\n";
      md += "2. `az deployment sub create --location " + location +
            " --template-file main.bicep --parameters ...` (`az deployment sub what-if` "
            "first to review).\n\n";
    } else {
      md += "1. Provide the " + inputs +
            " in azuredeploy.parameters.json: secrets are Key Vault references (fill in the "
            "vault's id and store the secret under the name given), the others plain values.\n";
      md += "2. `az deployment sub create --location " + location +
            " --template-file azuredeploy.json --parameters @azuredeploy.parameters.json` "
            "(`az deployment sub what-if` first to review).\n\n";
    }
  }
  return md;
}

}  // namespace

std::string RenderReport(const Plan& plan, std::string_view format, const Emitted& emitted) {
  std::string md;
  md += "# Generated infrastructure as code\n\n";
  md += "Format: " + std::string(format) + ". Source tenant: " + plan.source_tenant_id +
        ". Target tenant: " + plan.target_tenant_id + ".\n\n";
  md += "Emitted " + std::to_string(plan.resources.size()) + " resources and " +
        std::to_string(plan.principals.size()) + " Entra principals; skipped " +
        std::to_string(plan.skipped.size()) + "; " + std::to_string(plan.inputs.size()) +
        " inputs to provide.\n\n";
  md += HowToDeploy(plan, format, emitted);

  md += "## Resources by type\n\n| type | count |\n|---|---:|\n";
  for (const auto& [type, n] : ByType(plan)) {
    md += "| " + Cell(type) + " | " + std::to_string(n) + " |\n";
  }
  md += "\n";

  md += "## Inputs you must provide\n\n";
  if (plan.inputs.empty()) {
    md += "None.\n\n";
  } else {
    md +=
        "Secrets are never written into these files; provide them when deploying (for example "
        "from a Key Vault or your pipeline's secret store).\n\n";
    md += "| name | secret | what |\n|---|---|---|\n";
    for (const auto& in : plan.inputs) {
      md += "| " + in.name + " | " + (in.secret ? "yes" : "no") + " | " + Cell(in.description) +
            " |\n";
    }
    md += "\n";
  }

  md += "## Skipped\n\n";
  if (plan.skipped.empty()) {
    md += "Nothing.\n\n";
  } else {
    std::map<std::string, std::vector<const Skipped*>> by_reason;
    for (const auto& s : plan.skipped) by_reason[s.reason].push_back(&s);
    for (const auto& [reason, list] : by_reason) {
      md += "### " + Cell(reason) + " (" + std::to_string(list.size()) + ")\n\n";
      for (size_t i = 0; i < list.size() && i < kMaxListedPerReason; ++i) {
        md += "- `" + list[i]->key + "`" +
              (list[i]->type.empty() ? "" : " (" + list[i]->type + ")") + "\n";
      }
      if (list.size() > kMaxListedPerReason) {
        md += "- ... and " + std::to_string(list.size() - kMaxListedPerReason) +
              " more (the --json summary lists them all)\n";
      }
      md += "\n";
    }
  }

  md += "## Dependency cycles\n\n";
  if (plan.broken_cycles.empty()) {
    md += "None.\n\n";
  } else {
    md +=
        "These dependencies formed cycles and were dropped; the reference stays as a literal "
        "id, so deploy twice or add the link after the first deployment:\n\n";
    for (const auto& [from, to] : plan.broken_cycles) {
      md += "- `" + from + "` -> `" + to + "`\n";
    }
    md += "\n";
  }

  md += "## Unmapped principals\n\n";
  if (plan.unmapped_principals.empty()) {
    md += "None.\n\n";
  } else {
    md +=
        "These source principals are referenced but not in --identity-map; their target ids "
        "are inputs above:\n\n";
    for (const auto& p : plan.unmapped_principals) md += "- `" + p + "`\n";
    md += "\n";
  }

  md += "## Notes\n\n";
  if (emitted.notes.empty() && plan.notes.empty()) {
    md += "None.\n\n";
  } else {
    for (const auto& n : plan.notes) md += "- " + n + "\n";
    for (const auto& n : emitted.notes) md += "- " + n + "\n";
    md += "\n";
  }

  md += "## Files\n\n";
  for (const auto& f : emitted.files) md += "- " + f.path + "\n";
  return md;
}

json::object ReportSummary(const Plan& plan, std::string_view format, std::string_view output,
                           const Emitted& emitted) {
  json::object o;
  o["format"] = format;
  o["output"] = output;
  o["resources_emitted"] = static_cast<int64_t>(plan.resources.size());
  json::object by_type;
  for (const auto& [type, n] : ByType(plan)) by_type[type] = n;
  o["by_type"] = std::move(by_type);
  json::array skipped;
  for (const auto& s : plan.skipped) {
    skipped.push_back(json::object{{"key", s.key}, {"type", s.type}, {"reason", s.reason}});
  }
  o["skipped"] = std::move(skipped);
  json::array inputs;
  for (const auto& in : plan.inputs) {
    json::object i{{"name", in.name},
                   {"description", in.description},
                   {"secret", in.secret},
                   {"path", in.path}};
    if (in.resource < plan.resources.size()) i["resource"] = plan.resources[in.resource].id;
    inputs.push_back(std::move(i));
  }
  o["inputs_required"] = std::move(inputs);
  o["principals"] = static_cast<int64_t>(plan.principals.size());
  json::array cycles;
  for (const auto& [from, to] : plan.broken_cycles) {
    cycles.push_back(json::object{{"from", from}, {"to", to}});
  }
  o["broken_cycles"] = std::move(cycles);
  json::array unmapped;
  for (const auto& p : plan.unmapped_principals) unmapped.push_back(json::value(p));
  o["unmapped_principals"] = std::move(unmapped);
  json::array files;
  for (const auto& f : emitted.files) files.push_back(json::value(f.path));
  o["files"] = std::move(files);
  json::array notes;
  for (const auto& n : plan.notes) notes.push_back(json::value(n));
  for (const auto& n : emitted.notes) notes.push_back(json::value(n));
  o["notes"] = std::move(notes);
  return o;
}

}  // namespace atg::iac
