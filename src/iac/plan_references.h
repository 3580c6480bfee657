// The plan's reference stage: the ARM ids inside a body, kept as Azure wrote them, so that a
// reference to an emitted resource can carry the part of the id below that resource (a load
// balancer's pool) with its original casing.
//
// Thread-safety: pure functions.
#ifndef ATG_IAC_PLAN_REFERENCES_H_
#define ATG_IAC_PLAN_REFERENCES_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace atg::iac {

// An ARM id inside a body, with the string as written.
struct RawRef {
  std::string id;    // as written
  std::string path;  // graph::ArmIdRef::path syntax
};

// Every ARM id in `body`, as string values or object keys, at the paths
// graph::CollectArmIdRefs gives, in document order; appended to `out`.
void CollectRawRefs(const json::value& body, std::vector<RawRef>* out);

// The part of `id` below the resource keyed `target_key` (a normalised id), with the casing
// `id` has and without a trailing '/': "/backendAddressPools/pool1" for a pool of a load
// balancer; "" when `id` names the target itself or is not below it.
std::string ReferenceSuffix(std::string_view id, std::string_view target_key);

}  // namespace atg::iac

#endif  // ATG_IAC_PLAN_REFERENCES_H_
