// Read-only properties: what Azure returns about a resource but rejects (or ignores) in a
// deployment, kept as data so that adding one is a line in the table. Built from real response
// bodies (the REST API examples and SDK recordings) and the readOnly markers of the ARM
// template schemas.
//
// Thread-safety: immutable data and reentrant functions.
#ifndef ATG_IAC_READONLY_RULES_H_
#define ATG_IAC_READONLY_RULES_H_

#include <string_view>
#include <vector>

#include "common/json.h"

namespace atg::iac {

struct ReadOnlyRule {
  std::string_view type;     // lower-cased ARM type; "" for every type
  std::string_view pattern;  // iac/body_paths.h pattern, from the body's root
};

// Property names that are read-only wherever they appear, at any depth and in any resource
// (provisioningState, resourceGuid, etag, systemData, creation and change timestamps, ...).
const std::vector<std::string_view>& ReadOnlyEverywhere();

// Every path rule, global ones ("identity.principalId") and per-type ones ("VM
// properties.vmId").
const std::vector<ReadOnlyRule>& ReadOnlyRules();

// Removes every read-only property from `body` (a deployable body: sku, kind, identity, plan,
// tags, zones, managedBy, extendedLocation, properties) of a resource of `lower_type`.
void RemoveReadOnly(std::string_view lower_type, json::object* body);

}  // namespace atg::iac

#endif  // ATG_IAC_READONLY_RULES_H_
