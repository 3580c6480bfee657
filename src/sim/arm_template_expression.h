// The ARM template expression language, as far as the simulator's template deployments need it:
// a string value "[expr]" is an expression, "[[..." is a literal starting with '[', anything else
// is a literal string.
//
// Supported: string literals ('it''s'), integers, true/false/null, property access (.name) and
// indexing ([0], ['key']) on results, and the functions of arm_template_functions.h (one table).
// Anything else (reference(), list*(), newGuid(), ...) is an error naming the function, so a
// template that would behave differently in Azure fails loudly instead of deploying something
// else.
//
// Thread-safety: pure functions; the context's callbacks are called on the caller's thread.
#ifndef ATG_SIM_ARM_TEMPLATE_EXPRESSION_H_
#define ATG_SIM_ARM_TEMPLATE_EXPRESSION_H_

#include <functional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"

namespace atg::sim {

// Where an expression is evaluated: the deployment's scope and how to look up parameters and
// variables (callbacks, so that variables can be evaluated lazily and cycles detected by the
// caller). A callback returns NotFound/InvalidArgument with a message for the template's author.
struct ExpressionContext {
  std::string tenant_id;
  std::string subscription_id;
  std::string subscription_display_name;
  std::string resource_group;  // empty at subscription scope: resourceGroup() is then an error
  std::string resource_group_location;
  std::string deployment_name;
  std::function<Result<json::value>(std::string_view name)> parameter;
  std::function<Result<json::value>(std::string_view name)> variable;
};

// True when `text` is an expression ("[...]" but not "[[...").
bool IsTemplateExpression(std::string_view text);

// Evaluates one template string. Errors are InvalidArgument and say what is wrong with the
// expression (an unknown function names it), without the template path: the caller adds that.
Result<json::value> EvaluateTemplateString(std::string_view text, const ExpressionContext& ctx);

// Evaluates every string inside `v` (object member values and array elements, recursively);
// member names that are expressions are evaluated too (ARM allows
// {"[resourceId(...)]": {}} in userAssignedIdentities), other names are kept as written. Errors
// carry `path` extended to the failing value, e.g. "resources[2].properties.subnet.id: The template
// function 'reference' is not supported ...".
Result<json::value> EvaluateTemplateValue(const json::value& v, const ExpressionContext& ctx,
                                          const std::string& path);

// ARM's string form of a value in concat() and format(): strings as they are, true/false as
// "True"/"False", numbers in decimal, objects and arrays as compact JSON.
std::string TemplateValueToString(const json::value& v);

}  // namespace atg::sim

#endif  // ATG_SIM_ARM_TEMPLATE_EXPRESSION_H_
