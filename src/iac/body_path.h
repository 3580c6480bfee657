// Paths into a resource body, in the syntax the graph uses for the ARM ids it finds
// (graph::ArmIdRef::path): keys joined by '.', array indexes as "[3]", and, for an id used as an
// object key (user-assigned identities), the key as a JSON string in brackets as the last step:
//   properties.ipConfigurations[0].properties.subnet.id
//   identity.userAssignedIdentities["/subscriptions/.../userAssignedIdentities/id1"]
// The emitters use them to put references and input parameters in place.
//
// Thread-safety: pure functions; the pointers returned point into the caller's value.
#ifndef ATG_IAC_BODY_PATH_H_
#define ATG_IAC_BODY_PATH_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace atg::iac {

struct PathStep {
  enum Kind { kKey, kIndex, kObjectKey } kind = kKey;
  std::string key;   // kKey: the member name; kObjectKey: the key that is itself the target
  size_t index = 0;  // kIndex
};

// Fails (kInvalidArgument, naming the path) on a malformed path, or when a kObjectKey step is not
// the last.
Result<std::vector<PathStep>> ParseBodyPath(std::string_view path);

// Where a path points: a value, or (kObjectKey) the member whose *key* is the target; then
// `value` is that member's value, so callers can tell members apart by address.
struct PathTarget {
  const json::value* value = nullptr;
  bool is_key = false;
};

// Follows `steps` from `root`. Returns a null `value` when the path does not exist.
PathTarget ResolveBodyPath(const json::value& root, const std::vector<PathStep>& steps);
PathTarget ResolveBodyPath(const json::object& root, const std::vector<PathStep>& steps);

// Follows `steps` from `root`, creating missing object members (as null, then objects on the
// way). Returns nullptr when an array index is out of range, a step meets a value of another
// kind, or the last step is a kObjectKey.
json::value* EnsureBodyPath(json::value& root, const std::vector<PathStep>& steps);
json::value* EnsureBodyPath(json::object& root, const std::vector<PathStep>& steps);

}  // namespace atg::iac

#endif  // ATG_IAC_BODY_PATH_H_
