// Fitting a planned resource body to its Azure schema (iac/azure_schema.h), so that what ATG
// writes in Terraform (azapi `body`), Bicep and ARM is what a deployment of that api-version
// accepts:
//  * read-only properties (flag 2 in the schema) are removed, unless the schema also marks
//    them required (azapi accepts those);
//  * properties the schema does not define are removed (an object without additional
//    properties is closed), and named in the result;
//  * property names get the schema's spelling (ARM matches them case-insensitively; the
//    schema validators do not);
//  * enum values (string literals, and literal members of open unions) get the schema's
//    spelling ("get" -> "Get"); a value outside a closed enum is removed;
//  * values standing in for "unset" are removed: null anywhere, "" as a named property's
//    value (map values such as tags keep ""), objects that became empty because everything in
//    them was removed;
//  * scalars of the wrong JSON type are converted where the meaning is plain ("true" for a
//    boolean, 2.0 for an integer, 5 for a string) and removed otherwise; integers outside the
//    schema's bounds and arrays outside theirs are removed.
// A value the schema requires is never removed (a deployment without it would fail anyway, and
// the validator's message then shows the value).
//
// Thread-safety: reentrant; the schema is immutable.
#ifndef ATG_IAC_SCHEMA_FIT_H_
#define ATG_IAC_SCHEMA_FIT_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "iac/azure_schema.h"

namespace atg::iac {

struct FitResult {
  size_t read_only_removed = 0;
  size_t renamed = 0;          // property names and enum values respelled
  size_t empty_removed = 0;    // nulls, "" and emptied objects
  size_t invalid_removed = 0;  // values outside an enum, a bound, or of the wrong type
  // Paths (graph::ArmIdRef::path syntax) of properties removed because the schema does not
  // define them, in body order.
  std::vector<std::string> unknown_removed;
};

// Fits `body` (a planned body: sku, kind, identity, plan, tags, zones, managedBy,
// extendedLocation, properties) to `schema`, the resource's body schema (a kObject or
// kDiscriminated node). Top-level fields that the schema does not define are removed too.
FitResult FitBody(const SchemaNode& schema, json::object* body);

// Sums the fitting of a whole plan into a few report lines: totals, the properties removed as
// unknown (per type and api-version, array indexes folded), and the types written without a
// schema. Not thread-safe (one per BuildPlan).
class FitNotes {
 public:
  void Add(std::string_view type, std::string_view api_version, const FitResult& r);
  // A resource written without a schema: `listed` when the schemas know the type (but not
  // the chosen version's body).
  void NotFitted(std::string_view type, std::string_view api_version, bool listed);
  std::vector<std::string> Lines() const;

 private:
  size_t fitted_ = 0;
  FitResult totals_;
  // "type@version" -> (path with [n] folded to [*]) -> count
  std::map<std::string, std::map<std::string, size_t>> unknown_;
  std::map<std::string, size_t> not_fitted_;  // "type@version" -> count
};

}  // namespace atg::iac

#endif  // ATG_IAC_SCHEMA_FIT_H_
