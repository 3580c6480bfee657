// The functions of the ARM template expression language that the simulator evaluates, as one
// table: each entry is a name, the number of arguments it takes and the code that computes it.
// The parser (arm_template_expression.cc) looks calls up here, so adding a function is adding a
// row, and the list that error messages print is the table itself.
//
// Thread-safety: the table is immutable; functions are pure apart from the context's callbacks,
// which run on the caller's thread.
#ifndef ATG_SIM_ARM_TEMPLATE_FUNCTIONS_H_
#define ATG_SIM_ARM_TEMPLATE_FUNCTIONS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "sim/arm_template_expression.h"

namespace atg::sim {

// One template function. `name` is as ARM spells it in its documentation; lookups ignore case.
// `eval` receives the name as the template wrote it (for messages) and arguments already checked
// against [min_args, max_args].
struct TemplateFunction {
  static constexpr size_t kUnbounded = static_cast<size_t>(-1);
  std::string_view name;
  size_t min_args;
  size_t max_args;
  Result<json::value> (*eval)(std::string_view written_name, const std::vector<json::value>& args,
                              const ExpressionContext& ctx);
};

// The function called `name` (any case), or null when the simulator does not evaluate it.
const TemplateFunction* FindTemplateFunction(std::string_view name);

// Calls `name` with `args`: checks the arity, then evaluates. Errors are InvalidArgument; an
// unknown function's message names it and lists the supported ones.
Result<json::value> CallTemplateFunction(std::string_view name,
                                         const std::vector<json::value>& args,
                                         const ExpressionContext& ctx);

// "parameters, variables, resourceId, ...": every supported function, in table order.
std::string SupportedTemplateFunctions();

}  // namespace atg::sim

#endif  // ATG_SIM_ARM_TEMPLATE_FUNCTIONS_H_
