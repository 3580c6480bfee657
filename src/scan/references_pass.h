// Filtered scans (--resource-group, --type, --resource-limit) keep the graph whole by pulling in
// what the kept resources reference (identities, subnets, workspaces, ...) in the readable
// subscriptions, a few rounds deep.
//
// Thread-safety: called by the orchestrating thread once the resource passes are idle.
#ifndef ATG_SCAN_REFERENCES_PASS_H_
#define ATG_SCAN_REFERENCES_PASS_H_

#include <string>
#include <string_view>

#include "scan/scan_run.h"

namespace atg::scan {

// Reads the resources and resource groups the admitted nodes reference but the scan has not
// seen, round after round (what they reference in turn), until nothing new is referenced.
void PullInReferences(const ScanRun& run);

// What can be fetched for a referenced, normalised ARM id: the top-level resource it lies in
// (the resource itself, a child's root, an extension's extended resource), its resource group
// when it is one, or "" (subscriptions, tenant-level and subscription-level ids).
std::string FetchableIdOf(std::string_view key);

}  // namespace atg::scan

#endif  // ATG_SCAN_REFERENCES_PASS_H_
