// Template deployments against a simulated Tenant, as Azure Resource Manager runs them: validate
// the template (parameters, variables, expressions, dependsOn), order the resources by their
// dependencies, then create or update every resource in the tenant (Incremental mode: what the
// template names is created or replaced, nothing else is touched).
//
// Supported template content: top-level resources of any type; child resources named
// "parent/child" with type "A/B/C" or nested in a parent's `resources` array (short type and
// name); extension resources with a `scope` property (a full id, or "Namespace/type/name" relative
// to the deployment's scope) or the older "A/B/providers/C" form; Microsoft.Resources/
// resourceGroups at subscription scope; nested Microsoft.Resources/deployments with an inline
// `properties.template`, `resourceGroup` / `subscriptionId`, and
// `expressionEvaluationOptions.scope` inner or outer (outer is ARM's default); `condition`;
// parameters with defaultValue, allowedValues and types; variables. The expression subset is
// sim/arm_template_expression.h. `copy` loops, templateLink and reference() are refused with a
// message saying so.
//
// Children that ARM inlines into a parent (a virtual network's properties.subnets, a network
// security group's properties.securityRules) become child resources of their own, as Azure does.
// Created bodies get the fields Azure adds (properties.provisioningState, etag and resourceGuid on
// network resources, identity principal ids, systemData, a role assignment's scope), and never
// hold the value of a securestring/secureobject parameter (Azure does not return secrets).
//
// Unlike Azure, a deployment is all-or-nothing: when any resource cannot be created (its
// resource group or parent does not exist) nothing is changed.
//
// Thread-safety: DeployTemplate is a pure function of its arguments apart from writing `tenant`;
// callers serialize deployments against the same tenant.
#ifndef ATG_SIM_TEMPLATE_DEPLOYMENT_H_
#define ATG_SIM_TEMPLATE_DEPLOYMENT_H_

#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "sim/tenant.h"

namespace atg::sim {

// Where a deployment runs.
struct DeploymentTarget {
  std::string subscription_id;  // as the tenant writes it
  std::string resource_group;   // the group's name; empty for a subscription-scope deployment
  std::string deployment_name;
};

// Why a deployment was refused (http_status 400: the template or request is invalid; nothing is
// stored) or failed (http_status 0: the deployment is recorded as Failed, ARM's
// "DeploymentFailed" with this error as its detail).
struct DeploymentError {
  int http_status = 400;
  std::string code;     // "InvalidTemplate", "InvalidRequestContent", "ResourceGroupNotFound", ...
  std::string message;  // names the template path or resource concerned
};

// A nested deployment that ran as part of a deployment (ARM keeps it as a deployment of its own
// in its target scope).
struct NestedDeploymentRecord {
  std::string id;  // "{scope}/providers/Microsoft.Resources/deployments/{name}"
  std::string name;
  std::string subscription_id;
  std::string resource_group;  // empty at subscription scope
  std::vector<std::string> output_resources;
  json::object parameters;  // as GET shows them (secure values left out)
  json::value template_;    // the inline template, for exportTemplate
};

struct DeploymentOutcome {
  std::optional<DeploymentError> error;
  // Ids of every resource group and resource created or updated, in deployment order (nested
  // deployments' resources included), as ARM's properties.outputResources lists them.
  std::vector<std::string> output_resources;
  json::object outputs;     // {"name": {"type","value"}}
  json::object parameters;  // {"name": {"type","value"}}; secure parameters only {"type"}
  std::vector<NestedDeploymentRecord> nested;
  size_t created = 0;
  size_t updated = 0;
};

// Runs the deployment whose request `properties` (the PUT body's "properties": mode, template,
// parameters) is given against `tenant`. `tenant` changes only when the outcome has no error.
DeploymentOutcome DeployTemplate(Tenant& tenant, const DeploymentTarget& target,
                                 const json::object& properties);

}  // namespace atg::sim

#endif  // ATG_SIM_TEMPLATE_DEPLOYMENT_H_
