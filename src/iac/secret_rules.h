// Secrets: values that must never be written as literals into generated IaC (passwords, keys,
// connection strings, SAS tokens, client secrets), and values Azure never returns but a
// deployment needs (a VM's admin password, a SQL server's administrator password). Both become
// plan inputs (iac/plan.h Input, secret = true) and are absent from the body. Kept as data.
//
// Thread-safety: immutable data and reentrant functions.
#ifndef ATG_IAC_SECRET_RULES_H_
#define ATG_IAC_SECRET_RULES_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace atg::iac {

// A property name (any case, any depth, any type) whose value is a secret.
struct SecretName {
  std::string_view name;
  std::string_view description;
};

// A value Azure does not return that a deployment of `type` requires: input at `path` when the
// body has `when_present` and `unless_true` is not the JSON value true.
struct RequiredSecret {
  std::string_view type;  // lower-cased ARM type
  std::string_view
      path;  // concrete path the value goes to, e.g. "properties.osProfile.adminPassword"
  std::string_view when_present;  // body path that must exist (e.g. "properties.osProfile")
  std::string_view unless_true;   // body path that, when true, makes the value unnecessary
  std::string_view description;
};

const std::vector<SecretName>& SecretNames();
const std::vector<RequiredSecret>& RequiredSecrets();

// Where a secret was found (and removed) or is required.
struct SecretSlot {
  std::string path;         // concrete body path (graph::ArmIdRef::path syntax)
  std::string field;        // the property name, for the input's name
  std::string description;  // for variables.tf and the report
};

// Removes every secret value from `body` of a `lower_type` resource and lists the slots, plus
// the required values Azure never returns; sorted by path, unique.
std::vector<SecretSlot> ExtractSecrets(std::string_view lower_type, json::object* body);

}  // namespace atg::iac

#endif  // ATG_IAC_SECRET_RULES_H_
