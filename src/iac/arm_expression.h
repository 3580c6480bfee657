// Building ARM template expressions and escaping literals.
//
// An ARM template string that starts with '[' and ends with ']' is an expression; a literal
// string that starts with '[' must be written "[[..." so ARM keeps it as text. Inside an
// expression, string literals are single-quoted with '' for a quote.
//
// Only a small subset of the template language is ever produced here (it is what the simulator
// evaluates when it deploys a generated template, and what docs/iac-arm-bicep.md lists):
// parameters(), variables(), resourceId(), subscriptionResourceId(), extensionResourceId(),
// concat(), format(), subscription().subscriptionId, resourceGroup().name,
// resourceGroup().location and literals.
//
// The builders take and return expression *text* (without the enclosing brackets); ArmExpression
// wraps it into the JSON string value. Thread-safety: pure functions.
#ifndef ATG_IAC_ARM_EXPRESSION_H_
#define ATG_IAC_ARM_EXPRESSION_H_

#include <string>
#include <string_view>
#include <vector>

namespace atg::iac {

// A literal JSON string value as ARM must see it: "[x" -> "[[x"; anything else unchanged.
std::string EscapeArmLiteral(std::string_view s);

// A string literal inside an expression: it's -> 'it''s'.
std::string ArmQuote(std::string_view s);

// The JSON string value of an expression: "[" + expr + "]".
std::string ArmExpression(std::string_view expr);

// parameters('name')
std::string ArmParameters(std::string_view name);

// resourceId('Type', 'n1', 'n2'...) or, when `resource_group_expr` is non-empty,
// resourceId(subscription_expr, resource_group_expr, 'Type', 'n1'...). The *_expr arguments are
// expression text (e.g. "subscription().subscriptionId" or ArmQuote("rg")).
std::string ArmResourceId(std::string_view subscription_expr, std::string_view resource_group_expr,
                          std::string_view type, const std::vector<std::string>& names);

// subscriptionResourceId('Type', 'n1'...)
std::string ArmSubscriptionResourceId(std::string_view type, const std::vector<std::string>& names);

// extensionResourceId(scope_expr, 'Type', 'n1'...)
std::string ArmExtensionResourceId(std::string_view scope_expr, std::string_view type,
                                   const std::vector<std::string>& names);

// concat(a, b...) of expression texts.
std::string ArmConcat(const std::vector<std::string>& parts);

}  // namespace atg::iac

#endif  // ATG_IAC_ARM_EXPRESSION_H_
