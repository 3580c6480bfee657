// The ARM side of a scan: turning ARM bodies into graph nodes (and following what hangs below
// them: inlined or listed children, diagnostic settings), paged ARM lists and single reads on the
// subscription's lane, the per-type listing of a subscription when Resource Graph is not usable,
// and the subscription's provider API versions.
//
// Thread-safety: every function may run on any pool worker; state lives in the ScanRun.
#ifndef ATG_SCAN_ARM_PASS_H_
#define ATG_SCAN_ARM_PASS_H_

#include <functional>
#include <string>

#include "common/json.h"
#include "scan/scan_run.h"

namespace atg::scan {

// What SubmitArmList does with the items of a list.
struct ArmListOptions {
  bool follow = false;           // schedule what hangs below each item (EmitArm's `follow`)
  bool counts_to_limit = false;  // items count against --resource-limit; stop once it is met
  // A 404 means the parent disappeared since it was seen: nothing to report. Lists whose scope
  // must exist (a subscription's per-type lists) say false.
  bool not_found_is_ok = true;
  std::function<bool(const json::object&)> keep;  // null: every item
};

// Builds the node and edges of one ARM body and adds them to `batch`; then, when `follow`,
// schedules what hangs below it. A body seen before is not written again. Returns whether the
// body was new; a body that is not a valid resource is a failed scope.
bool EmitArm(const ScanRun& run, const json::object& body, FragmentBatch& batch, bool follow,
             bool counts_to_limit);

// Lists `url` (ARM paging) on its subscription's lane and emits the items a page at a time;
// a list that fails is the failed scope `scope`.
void SubmitArmList(const ScanRun& run, std::string url, std::string scope, ArmListOptions options);

// Reads one ARM resource on its lane and emits it (following what hangs below it); a 404 is
// not a failure (the reference pointed at something deleted).
void SubmitArmGet(const ScanRun& run, std::string url, std::string scope);

// Lists a subscription's resources through ARM: its resource groups when `groups_too`, the
// types present (the generic list), then each type's own list for full bodies.
void ScanSubscriptionWithArm(const ScanRun& run, const std::string& subscription, bool groups_too);

// Reads the subscription's resource providers and merges the newest stable API version of each
// type into the ledger. A failure is logged (built-in versions are used), not a failed scope.
void LoadApiVersions(const ScanRun& run, const std::string& subscription);

}  // namespace atg::scan

#endif  // ATG_SCAN_ARM_PASS_H_
