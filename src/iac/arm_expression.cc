#include "iac/arm_expression.h"

namespace atg::iac {
namespace {

void AppendQuoted(std::string& out, std::string_view s) {
  out += '\'';
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
}

void AppendTypeAndNames(std::string& out, std::string_view type,
                        const std::vector<std::string>& names) {
  AppendQuoted(out, type);
  for (const auto& n : names) {
    out += ", ";
    AppendQuoted(out, n);
  }
}

}  // namespace

std::string EscapeArmLiteral(std::string_view s) {
  std::string out;
  if (!s.empty() && s.front() == '[') {
    out.reserve(s.size() + 1);
    out += '[';
  }
  out.append(s);
  return out;
}

std::string ArmQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  AppendQuoted(out, s);
  return out;
}

std::string ArmExpression(std::string_view expr) {
  std::string out;
  out.reserve(expr.size() + 2);
  out += '[';
  out.append(expr);
  out += ']';
  return out;
}

std::string ArmParameters(std::string_view name) { return "parameters(" + ArmQuote(name) + ")"; }

std::string ArmResourceId(std::string_view subscription_expr, std::string_view resource_group_expr,
                          std::string_view type, const std::vector<std::string>& names) {
  std::string out = "resourceId(";
  if (!resource_group_expr.empty()) {
    out.append(subscription_expr);
    out += ", ";
    out.append(resource_group_expr);
    out += ", ";
  }
  AppendTypeAndNames(out, type, names);
  out += ')';
  return out;
}

std::string ArmSubscriptionResourceId(std::string_view type,
                                      const std::vector<std::string>& names) {
  std::string out = "subscriptionResourceId(";
  AppendTypeAndNames(out, type, names);
  out += ')';
  return out;
}

std::string ArmExtensionResourceId(std::string_view scope_expr, std::string_view type,
                                   const std::vector<std::string>& names) {
  std::string out = "extensionResourceId(";
  out.append(scope_expr);
  out += ", ";
  AppendTypeAndNames(out, type, names);
  out += ')';
  return out;
}

std::string ArmConcat(const std::vector<std::string>& parts) {
  std::string out = "concat(";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += ", ";
    out += parts[i];
  }
  out += ')';
  return out;
}

}  // namespace atg::iac
