// The places in a planned resource's body where an emitter writes something other than the
// literal: references to other emitted resources and the inputs (parameters) the user provides.
// Shared by the Bicep and ARM emitters, which differ only in the expression they write there.
//
// Thread-safety: values; PreparedBody's pointers point into its own `root`.
#ifndef ATG_IAC_BODY_SLOTS_H_
#define ATG_IAC_BODY_SLOTS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "iac/plan.h"

namespace atg::iac {

struct BodySlot {
  const json::value* at = nullptr;  // the value replaced, or (is_key) the member whose key is
  bool is_key = false;
  const Reference* reference = nullptr;  // exactly one of reference / input is set
  const Input* input = nullptr;
};

struct PreparedBody {
  // The body to write: the plan's own (no copy) unless inputs had to be inserted.
  const json::object* root = nullptr;
  std::optional<json::object> copy;
  std::vector<BodySlot> slots;
};

// Plan::inputs indexes per Plan::resources index.
std::vector<std::vector<size_t>> InputsByResource(const Plan& plan);

// Prepares plan.resources[index]: inserts a placeholder at each input's path (the plan removed
// the secret there) and finds every slot. A reference or input whose path cannot be followed is
// left out, with a line in `notes` naming the resource and the path.
void PrepareBody(const Plan& plan, size_t index, const std::vector<size_t>& inputs,
                 PreparedBody* out, std::vector<std::string>* notes);

}  // namespace atg::iac

#endif  // ATG_IAC_BODY_SLOTS_H_
