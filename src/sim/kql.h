// The small subset of the Kusto Query Language that the simulated Resource Graph understands:
// the queries a scanner sends, parsed strictly so that anything else is rejected with a message
// naming the unsupported part (never silently answered wrong).
//
//   Resources | where type =~ 'microsoft.network/virtualnetworks' and resourceGroup == 'rg'
//             | project id, name, state = properties.provisioningState | order by id asc
//             | limit 10
//
// Tables: Resources, ResourceContainers, AuthorizationResources. Operators: where (conditions
// joined by `and`; ==, =~, !=, !~, in, in~, !in, !in~, contains, !contains, startswith,
// endswith, has), project (columns, dotted paths, `alias = column`), order by / sort by
// (asc | desc; desc by default as in Kusto), limit / take.
//
// Thread-safety: reentrant.
#ifndef ATG_SIM_KQL_H_
#define ATG_SIM_KQL_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace atg::sim::kql {

enum class Table { kResources, kResourceContainers, kAuthorizationResources };

enum class Op {
  kEq,           // ==  (case-sensitive)
  kEqNoCase,     // =~
  kNe,           // !=
  kNeNoCase,     // !~
  kIn,           // in
  kInNoCase,     // in~
  kNotIn,        // !in
  kNotInNoCase,  // !in~
  kContains,     // contains (case-insensitive, as in Kusto)
  kNotContains,  // !contains
  kStartsWith,   // startswith (case-insensitive)
  kEndsWith,     // endswith (case-insensitive)
  kHas,          // has (treated as a case-insensitive substring test)
};

struct Condition {
  std::vector<std::string> column;  // path: {"properties","provisioningState"}
  Op op = Op::kEq;
  std::vector<std::string> values;  // one, or the list of `in`
};

struct ProjectColumn {
  std::string output_name;
  std::vector<std::string> column;
};

struct OrderKey {
  std::vector<std::string> column;
  bool descending = true;
};

struct Query {
  Table table = Table::kResources;
  std::vector<Condition> where;        // all must hold
  std::vector<ProjectColumn> project;  // empty: every column
  std::vector<OrderKey> order;         // empty: by id ascending (stable paging)
  std::optional<size_t> limit;
};

// Parses `text`. Errors are kInvalidArgument and name what was not understood and where.
Result<Query> Parse(std::string_view text);

}  // namespace atg::sim::kql

#endif  // ATG_SIM_KQL_H_
