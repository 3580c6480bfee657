// Paths into resource bodies, shared by the read-only and secret rules.
//
// A pattern is a '.'-separated list of property names matched case-insensitively (ARM is not
// consistent: Application Insights writes "InstrumentationKey"); "*" matches any property name,
// and arrays are crossed transparently, so "properties.subnets.properties.ipConfigurations"
// matches that property in every inlined subnet. Concrete paths use the syntax of
// graph::ArmIdRef::path: "properties.ipConfigurations[0].properties.subnet.id".
//
// Thread-safety: reentrant.
#ifndef ATG_IAC_BODY_PATHS_H_
#define ATG_IAC_BODY_PATHS_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace atg::iac {

// One property that a pattern matched: the object holding it, its key as written and the
// concrete path of the property. Valid until the body changes.
struct PathMatch {
  json::object* holder = nullptr;
  std::string key;
  std::string path;
};

// Every property of `body` that `pattern` matches, in document order.
std::vector<PathMatch> MatchPath(json::object& body, std::string_view pattern);

// Calls `visit` for every property named `name` (any case) at any depth of `body`, with its
// concrete path, in document order. The visitor must not modify the body.
void ForEachNamedProperty(json::object& body, std::string_view name,
                          const std::function<void(const PathMatch&)>& visit);

// Removes the matched properties (each exactly once, deepest first so holders stay valid).
void RemoveMatches(std::vector<PathMatch> matches);

// Appends ".key" (or "key" at the root) to `path`.
std::string JoinPath(std::string_view path, std::string_view key);

}  // namespace atg::iac

#endif  // ATG_IAC_BODY_PATHS_H_
